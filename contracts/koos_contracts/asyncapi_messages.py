"""The messages of the AsyncAPI document: CloudEvents headers with their true requiredness, the record key,
how results are matched to commands, and an example of each.

Requiredness follows the direction. A message Koos *receives* (a command) requires only what Koos needs:
CloudEvents' own `id`, `source`, `type` and `specversion`, plus the organisation on internal topics (on a
partner's topic the organisation is the topic's). What CloudEvents leaves optional Koos fills in from the
Kafka record (`koos_contracts.kafka_binding`). A message Koos *sends* (an event) lists as required every
header Koos always writes, so that a reader may rely on them.
"""

from typing import Any
from uuid import NAMESPACE_URL, uuid5

from koos_contracts.base import Command, Message
from koos_contracts.catalogue import OUTCOME_TYPES, OUTCOMES
from koos_contracts.envelope import wrap
from koos_contracts.examples import AT, COMMAND_ID, ORGANISATION, example_of
from koos_contracts.kafka_binding import to_record

KAFKA_BINDING_VERSION = "0.5.0"
CONTENT_TYPE = "application/json"

_ALWAYS = ("ce_id", "ce_source", "ce_type", "ce_specversion")
_WRITTEN_BY_KOOS = (*_ALWAYS, "ce_time", "ce_correlationid", "ce_organisationid", "ce_partitionkey",
                    "ce_dataschema", "content-type")


def message_id(message_type: type[Message], *, partner: bool = False) -> str:
    """The key of a message in `components.messages` (partner commands have their own headers)."""
    return f"{message_type.__name__}_v{message_type.version}{'_partner' if partner else ''}"


def message(message_type: type[Message], *, partner: bool = False) -> dict[str, Any]:
    """A message: name, summary, headers, payload, record key, correlation and an example."""
    headers = headers_schema(message_type, partner=partner)
    found: dict[str, Any] = {
        "name": message_type.ce_type(),
        "title": message_type.__name__,
        "summary": (message_type.__doc__ or "").strip().splitlines()[0],
        "description": _description(message_type, partner),
        "contentType": CONTENT_TYPE,
        "headers": headers,
        "payload": {"$ref": f"schemas/{message_type.ce_type()}.json"},
        "bindings": {"kafka": {"key": _key(message_type, partner), "bindingVersion": KAFKA_BINDING_VERSION}},
        "examples": [_example(message_type, headers["required"])],
    }
    if issubclass(message_type, Command):
        found["correlationId"] = {"location": "$message.header#/ce_id",
                                  "description": "Its outcome carries this ce_id as ce_causationid."}
    elif message_type.ce_type() in OUTCOME_TYPES:
        found["correlationId"] = {"location": "$message.header#/ce_causationid",
                                  "description": "The ce_id of the command this event answers."}
    return found


def headers_schema(message_type: type[Message], *, partner: bool = False) -> dict[str, Any]:
    """The `ce_` headers (CloudEvents binary mode) of a message type, with what is required."""
    received = issubclass(message_type, Command)
    properties = _properties(message_type, partner)
    if received:
        required = [*_ALWAYS] if partner else [*_ALWAYS, "ce_organisationid"]
    else:
        required = [*_WRITTEN_BY_KOOS, *(["ce_subject"] if _has_subject(message_type) else []),
                    *(["ce_causationid"] if message_type.ce_type() in OUTCOME_TYPES else [])]
    return {"type": "object", "properties": properties, "required": sorted(required),
            "description": "CloudEvents 1.0 attributes as ce_ headers (Kafka binding, binary mode), UTF-8. "
                           "Headers not named here are ignored."}


def _properties(message_type: type[Message], partner: bool) -> dict[str, Any]:
    text = {"type": "string", "minLength": 1}
    organisation = ("Must be the topic's organisation when given; the topic's is taken when absent."
                    if partner else "The organisation the message is about; services act within it only.")
    return {
        "ce_id": {**text, "description": "Unique per source. A command sent again with the same ce_id is the "
                                         "same command (it is applied once)."},
        "ce_source": {**text, "format": "uri-reference", "description": "Who sent it, e.g. /partners/<org>/hr."},
        "ce_type": {"type": "string", "const": message_type.ce_type()},
        "ce_specversion": {"type": "string", "const": "1.0"},
        "ce_time": {"type": "string", "format": "date-time",
                    "description": "RFC 3339. When absent, the Kafka record's timestamp."},
        "ce_subject": {**text, "description": "The entity the message is about (a registration id, say)."},
        "ce_dataschema": {"type": "string", "format": "uri",
                          "description": "The JSON Schema of the value; informative, never required."},
        "ce_correlationid": {**text, "description": "Ties a conversation together; when absent, the ce_id."},
        "ce_causationid": {**text, "description": "On an outcome: the ce_id of the command it answers."},
        "ce_organisationid": {"type": "string", "pattern": "^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$",
                              "description": organisation},
        "ce_partitionkey": {**text, "description": f"The {message_type.key_field}; when absent, the record key."},
        "content-type": {"type": "string", "const": CONTENT_TYPE, "description": "When absent, JSON."},
    }


def _key(message_type: type[Message], partner: bool) -> dict[str, Any]:
    field = message_type.model_json_schema(mode="serialization")["properties"].get(message_type.key_field, {})
    described = f"The {message_type.key_field}: records with one key keep their order."
    if partner:
        described += (f" Optional: Koos keys a record without one by its {message_type.key_field}, but records sent "
                      f"without a key may reach different partitions of your topic and be taken in another order; "
                      f"give the key (or wait for the outcome) when order matters, e.g. a cancellation after its "
                      f"registration.")
    return {key: field[key] for key in ("type", "format") if key in field} | {"description": described}


def _description(message_type: type[Message], partner: bool) -> str:
    lines = [(message_type.__doc__ or "").strip()]
    answers = OUTCOMES.get(message_type.ce_type())
    if answers:
        names = ", ".join(name.split(".")[2] for name in answers)
        lines.append(f"Answered by exactly one of {names}, whose ce_causationid is this command's ce_id.")
    if partner:
        lines.append("On a partner's topic the organisation is the topic's; only ce_id, ce_source, ce_type and "
                     "ce_specversion are required.")
    return "\n\n".join(lines)


def _has_subject(message_type: type[Message]) -> bool:
    return example_of(message_type).subject() is not None


def _example(message_type: type[Message], required: list[str]) -> dict[str, Any]:
    instance = example_of(message_type)
    is_command = issubclass(message_type, Command)
    envelope = wrap(instance, source="/koos/example" if not is_command else "/partners/oslo-kommune/hr",
                    organisation_id=ORGANISATION, event_id=COMMAND_ID if is_command else _event_id(message_type),
                    causation_id=COMMAND_ID if message_type.ce_type() in OUTCOME_TYPES else None,
                    correlation_id=COMMAND_ID, time=AT)
    _, _, headers = to_record(envelope)
    written = {name: value.decode() for name, value in headers}
    shown = {name: value for name, value in written.items() if not is_command or name in required}
    return {"name": f"{message_type.__name__}_example",
            "summary": "What a sender must give." if is_command else "As Koos writes it.",
            "headers": shown, "payload": instance.model_dump(mode="json")}


def _event_id(message_type: type[Message]) -> str:
    return str(uuid5(NAMESPACE_URL, f"koos:example:{message_type.ce_type()}"))
