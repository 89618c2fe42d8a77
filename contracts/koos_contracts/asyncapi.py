"""The AsyncAPI 3.0 document of every Koos topic and message."""

from typing import Any

from koos_contracts.base import Command, Message
from koos_contracts.catalogue import MESSAGE_TYPES
from koos_contracts.partners import PARTNER_COMMANDS, PARTNER_RESULTS
from koos_contracts.topics import ALL_TOPICS, ORGANISATION_SLUG, Topic

_HEADERS = {
    "type": "object",
    "description": "CloudEvents 1.0 attributes in binary mode (ce_ headers).",
    "properties": {
        name: {"type": "string"}
        for name in (
            "ce_id", "ce_source", "ce_type", "ce_specversion", "ce_time", "ce_subject", "ce_dataschema",
            "ce_correlationid", "ce_causationid", "ce_organisationid", "ce_partitionkey", "content-type",
        )
    },
    "required": ["ce_id", "ce_source", "ce_type", "ce_specversion", "ce_organisationid", "ce_correlationid"],
}


def asyncapi_document() -> dict[str, Any]:
    """The whole document: servers, channels per topic, messages, and send/receive operations."""
    return {
        "asyncapi": "3.0.0",
        "info": {"title": "Koos events", "version": "1.0.0", "description": "Events and commands of Koos on Kafka."},
        "defaultContentType": "application/json",
        "servers": {"kafka": {"host": "localhost:9092", "protocol": "kafka"}},
        "channels": {**{_channel_id(t): _channel(t) for t in ALL_TOPICS}, **_partner_channels()},
        "operations": {**{_channel_id(t): _operation(t) for t in ALL_TOPICS}, **_partner_operations()},
        "components": {"messages": {_message_id(m): _message(m) for m in MESSAGE_TYPES.values()}},
    }


def _channel_id(topic: Topic) -> str:
    return topic.name.replace(".", "_")


def _message_id(message_type: type[Message]) -> str:
    return f"{message_type.__name__}_v{message_type.version}"


def _messages_on(topic: Topic) -> list[type[Message]]:
    return [m for m in MESSAGE_TYPES.values() if m.topic == topic]


def _channel(topic: Topic) -> dict[str, Any]:
    refs = {_message_id(m): {"$ref": f"#/components/messages/{_message_id(m)}"} for m in _messages_on(topic)}
    return {"address": topic.name, "messages": refs, "description": f"Dead letters go to {topic.dlq}."}


def _operation(topic: Topic) -> dict[str, Any]:
    messages = [{"$ref": f"#/channels/{_channel_id(topic)}/messages/{_message_id(m)}"} for m in _messages_on(topic)]
    is_commands = all(issubclass(m, Command) for m in _messages_on(topic))
    return {
        "action": "receive" if is_commands else "send",
        "channel": {"$ref": f"#/channels/{_channel_id(topic)}"},
        "messages": messages,
    }


def _message(message_type: type[Message]) -> dict[str, Any]:
    return {
        "name": message_type.ce_type(),
        "title": message_type.__name__,
        "summary": (message_type.__doc__ or "").strip(),
        "headers": _HEADERS,
        "payload": {"$ref": f"schemas/{message_type.ce_type()}.json"},
        "bindings": {"kafka": {"key": {"type": "string", "description": f"the {message_type.key_field}"}}},
    }


_PARTNER_CHANNELS = {
    "partner_commands": ("koos.partner.{organisation}.commands.v1", PARTNER_COMMANDS, "receive",
                         "A partner system's commands for its own organisation (it may only write here). The "
                         "organisation is the topic's: a ce_organisationid that differs sends the record to "
                         "koos.partner.{organisation}.commands.v1.dlq with the reason in koos_dlq_reason, where "
                         "the partner may read it."),
    "partner_results": ("koos.partner.{organisation}.results.v1", PARTNER_RESULTS, "send",
                        "The outcomes for the partner's organisation, and nothing of any other organisation (it "
                        "may only read here, with consumer groups named partner-{organisation} or "
                        "partner-{organisation}.<name>). ce_causationid is the ce_id of the command behind a "
                        "decision: match results to commands by it."),
}


def _partner_channels() -> dict[str, Any]:
    parameter = {"organisation": {"description": f"The organisation id, matching {ORGANISATION_SLUG.pattern}."}}
    return {
        channel_id: {
            "address": address,
            "parameters": parameter,
            "description": description,
            "messages": {_message_id(m): {"$ref": f"#/components/messages/{_message_id(m)}"} for m in messages},
        }
        for channel_id, (address, messages, _, description) in _PARTNER_CHANNELS.items()
    }


def _partner_operations() -> dict[str, Any]:
    return {
        channel_id: {
            "action": action,
            "channel": {"$ref": f"#/channels/{channel_id}"},
            "messages": [{"$ref": f"#/channels/{channel_id}/messages/{_message_id(m)}"} for m in messages],
        }
        for channel_id, (_, messages, action, _) in _PARTNER_CHANNELS.items()
    }
