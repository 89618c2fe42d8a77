"""The AsyncAPI 3.0 document of every Koos topic and message: servers, channels, operations, messages.

The gateway serves it (`GET /v1/contracts/asyncapi.json`, a readable page at `/v1/contracts/asyncapi.html`)
next to the JSON Schemas of the values (`/v1/contracts/schemas/<type>.json`, which the document's payloads
reference relatively). `python -m koos_contracts.schemagen write` writes it to contracts/asyncapi.json.
"""

from typing import Any

from koos_contracts.asyncapi_messages import KAFKA_BINDING_VERSION, message, message_id
from koos_contracts.base import Command, Message
from koos_contracts.catalogue import MESSAGE_TYPES, OUTCOMES
from koos_contracts.partners import PARTNER_COMMANDS, PARTNER_RESULTS
from koos_contracts.topics import ALL_TOPICS, ORGANISATION_SLUG, Topic
from koos_contracts.twins import DEAD_LETTER_HEADERS, DEAD_LETTER_PREFIX, RETRY_HEADERS, RETRY_PREFIX

VERSION = "1.1.0"
DESCRIPTION = """Commands and events of Koos on Apache Kafka, as CloudEvents 1.0 in binary mode: the attributes in \
`ce_` headers, the data as a JSON object in the record value.

A partner system of one organisation writes its commands to `koos.partner.<organisation>.commands.v1` and reads \
the results for its organisation from `koos.partner.<organisation>.results.v1`, logging in with SASL/SCRAM-SHA-512 \
(over TLS where the cluster offers it) as `partner-<organisation>`; its refused records, with the reason, are on \
`koos.partner.<organisation>.commands.v1.dlq`.

Matching results: every command is answered by exactly one outcome event (listed with each command) whose \
`ce_causationid` is the command's `ce_id`. Send each command with a fresh `ce_id`; sending the same `ce_id` again \
is the same command and changes nothing.

Reading: consumers are tolerant readers. Fields and headers they do not know are ignored, so a field added \
within a version breaks nobody; validate with the published schemas, which leave objects open.

Compatibility within a version (`v1`): Koos may add optional fields and headers, add message types to a \
topic, and accept more than before. It does not remove, rename or retype a field, make an optional field \
required, change a field's allowed values or a `const`, or close an open object: any of those makes a new \
version (`...v2`, on a new topic where the topic changes), published next to the old one for a transition."""

SERVERS: dict[str, Any] = {
    "development": {
        "host": "127.0.0.1:19092", "protocol": "kafka",
        "description": "The development broker `koos up` starts: SASL/SCRAM-SHA-512 on plain TCP.",
        "security": [{"$ref": "#/components/securitySchemes/scram"}],
    },
    "development-tls": {
        "host": "127.0.0.1:19094", "protocol": "kafka-secure",
        "description": "The development broker over TLS (SASL_SSL); its CA is .koos/kafka/tls/ca.pem.",
        "security": [{"$ref": "#/components/securitySchemes/scram"}],
    },
    "production": {
        "host": "{host}:{port}", "protocol": "kafka-secure",
        "description": "A production cluster: SASL/SCRAM-SHA-512 over TLS (SASL_SSL), with the address, CA and "
                       "credentials the operator gives you.",
        "variables": {"host": {"description": "The cluster's bootstrap host.", "examples": ["kafka.koos.example"]},
                      "port": {"description": "Its TLS listener.", "default": "9094"}},
        "security": [{"$ref": "#/components/securitySchemes/scram"}],
    },
}

SECURITY_SCHEMES = {
    "scram": {"type": "scramSha512", "description": "SASL/SCRAM-SHA-512 with the user and password of your "
                                                     "principal (partners: `partner-<organisation>`)."},
}

_ORGANISATION = {"organisation": {"description": f"The organisation id, matching {ORGANISATION_SLUG.pattern}.",
                                  "examples": ["helsingin-kaupunki"]}}


def asyncapi_document() -> dict[str, Any]:
    """The whole document."""
    return {
        "asyncapi": "3.0.0",
        "id": "urn:koos:kafka",
        "info": {"title": "Koos on Kafka", "version": VERSION, "description": DESCRIPTION},
        "defaultContentType": "application/json",
        "servers": SERVERS,
        "channels": {**_topic_channels(), **_partner_channels()},
        "operations": {**_topic_operations(), **_partner_operations()},
        "components": {"messages": _messages(), "securitySchemes": SECURITY_SCHEMES},
    }


def _ref(path: str) -> dict[str, str]:
    return {"$ref": path}


def _channel_id(topic: Topic, twin: str = "") -> str:
    return topic.name.replace(".", "_") + (f"_{twin}" if twin else "")


def _messages_on(topic: Topic) -> list[type[Message]]:
    return [m for m in MESSAGE_TYPES.values() if m.topic == topic]


def _kafka(topic: str, partitions: int = 3) -> dict[str, Any]:
    return {"kafka": {"topic": topic, "partitions": partitions, "bindingVersion": KAFKA_BINDING_VERSION}}


def _topic_channels() -> dict[str, Any]:
    channels: dict[str, Any] = {}
    for topic in ALL_TOPICS:
        channels[_channel_id(topic)] = {
            "address": topic.name, "bindings": _kafka(topic.name, topic.partitions),
            "description": f"Owned by {topic.service}. Records that cannot be processed go to {topic.dlq}, records "
                           f"that must wait to {topic.retry}.",
            "messages": {message_id(m): _ref(f"#/components/messages/{message_id(m)}") for m in _messages_on(topic)},
        }
        channels[_channel_id(topic, "dlq")] = {
            "address": topic.dlq, "bindings": _kafka(topic.dlq, topic.partitions),
            "description": f"Dead letters of {topic.name}: the original record with the reason.",
            "messages": {"DeadLetter": _ref("#/components/messages/DeadLetter")},
        }
        channels[_channel_id(topic, "retry")] = {
            "address": topic.retry, "bindings": _kafka(topic.retry, topic.partitions),
            "description": f"Records of {topic.name} that wait, coming back after a delay; read committed only.",
            "messages": {"RetriedRecord": _ref("#/components/messages/RetriedRecord")},
        }
    return channels


def _topic_operations() -> dict[str, Any]:
    operations: dict[str, Any] = {}
    for topic in ALL_TOPICS:
        channel = _channel_id(topic)
        received = all(issubclass(m, Command) for m in _messages_on(topic))
        operations[channel] = {
            "action": "receive" if received else "send", "channel": _ref(f"#/channels/{channel}"),
            "messages": [_ref(f"#/channels/{channel}/messages/{message_id(m)}") for m in _messages_on(topic)],
        }
        for twin, name in (("dlq", "DeadLetter"), ("retry", "RetriedRecord")):
            operations[_channel_id(topic, twin)] = {
                "action": "send", "channel": _ref(f"#/channels/{_channel_id(topic, twin)}"),
                "messages": [_ref(f"#/channels/{_channel_id(topic, twin)}/messages/{name}")],
            }
    return operations


def _partner_channels() -> dict[str, Any]:
    commands = "koos.partner.{organisation}.commands.v1"
    return {
        "partner_commands": {
            "address": commands, "parameters": _ORGANISATION,
            "description": "A partner system's commands for its own organisation; it may only write here. The "
                           "organisation is the topic's: a ce_organisationid that names another one sends the "
                           "record to the .dlq twin with the reason.",
            "messages": {message_id(m, partner=True): _ref(f"#/components/messages/{message_id(m, partner=True)}")
                         for m in PARTNER_COMMANDS},
        },
        "partner_commands_dlq": {
            "address": commands + ".dlq", "parameters": _ORGANISATION,
            "description": "The partner's refused records, each with the reason; the partner may read here.",
            "messages": {"DeadLetter": _ref("#/components/messages/DeadLetter")},
        },
        "partner_results": {
            "address": "koos.partner.{organisation}.results.v1", "parameters": _ORGANISATION,
            "description": "The outcomes for the partner's organisation and nothing of any other; it may only read "
                           "here, in consumer groups named partner-{organisation} or partner-{organisation}.<name>.",
            "messages": {message_id(m): _ref(f"#/components/messages/{message_id(m)}") for m in PARTNER_RESULTS},
        },
    }


def _partner_operations() -> dict[str, Any]:
    answers = {name for command in PARTNER_COMMANDS for name in OUTCOMES[command.ce_type()]}
    replies = [m for m in PARTNER_RESULTS if m.ce_type() in answers]
    return {
        "partner_commands": {
            "action": "receive", "channel": _ref("#/channels/partner_commands"),
            "summary": "Koos takes a partner's commands and answers each on the partner's results topic.",
            "messages": [_ref(f"#/channels/partner_commands/messages/{message_id(m, partner=True)}")
                         for m in PARTNER_COMMANDS],
            "reply": {"channel": _ref("#/channels/partner_results"),
                      "messages": [_ref(f"#/channels/partner_results/messages/{message_id(m)}") for m in replies]},
        },
        "partner_commands_dlq": {
            "action": "send", "channel": _ref("#/channels/partner_commands_dlq"),
            "messages": [_ref("#/channels/partner_commands_dlq/messages/DeadLetter")],
        },
        "partner_results": {
            "action": "send", "channel": _ref("#/channels/partner_results"),
            "summary": "Koos copies each result of the organisation here, headers and all.",
            "messages": [_ref(f"#/channels/partner_results/messages/{message_id(m)}") for m in PARTNER_RESULTS],
        },
    }


def _messages() -> dict[str, Any]:
    found = {message_id(m): message(m) for m in MESSAGE_TYPES.values()}
    found.update({message_id(m, partner=True): message(m, partner=True) for m in PARTNER_COMMANDS})
    found["DeadLetter"] = _twin("DeadLetter", "A record that could not be processed, set aside with the reason.",
                                DEAD_LETTER_PREFIX, DEAD_LETTER_HEADERS)
    found["RetriedRecord"] = _twin("RetriedRecord", "A record that must wait, tried again when it is due.",
                                   RETRY_PREFIX, RETRY_HEADERS)
    return found


def _twin(name: str, summary: str, prefix: str, headers: dict[str, str]) -> dict[str, Any]:
    properties = {prefix + header: {"type": "string", "description": text} for header, text in headers.items()}
    return {
        "name": name, "title": name, "summary": summary, "contentType": "application/octet-stream",
        "headers": {"type": "object", "properties": properties, "required": sorted(properties),
                    "description": "The original record's headers, unchanged, and these."},
        "payload": {"description": "The original record's value, byte for byte (it may not be JSON)."},
        "bindings": {"kafka": {"key": {"type": "string", "description": "The original record's key."},
                               "bindingVersion": KAFKA_BINDING_VERSION}},
    }
