"""The AsyncAPI document says exactly what Koos needs and writes: a partner can follow it to the letter."""

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from koos_contracts import from_record, parse
from koos_contracts.asyncapi import asyncapi_document
from koos_contracts.catalogue import MESSAGE_TYPES, OUTCOMES
from koos_contracts.partners import PARTNER_COMMANDS, PARTNER_RESULTS
from koos_contracts.schemagen import SCHEMA_DIR, message_schema
from koos_contracts.twins import DEAD_LETTER_HEADERS, DEAD_LETTER_PREFIX, RETRY_HEADERS, RETRY_PREFIX
from koos_gateway.service_layer.partner_bridge import PartnerBridge
from koos_kit.messaging.dead_letters import dead_letter_headers
from koos_kit.messaging.records import Record
from koos_kit.messaging.retry import RetryPolicy, retry_headers
from tests.published import channel_messages, required_headers, required_only, validator

DOCUMENT = asyncapi_document()
MESSAGES = DOCUMENT["components"]["messages"]
PARTNER_IN = channel_messages(DOCUMENT, "partner_commands")


def published_schema(uri: str) -> dict[str, Any]:
    return dict(json.loads((SCHEMA_DIR / uri.rsplit("/", 1)[1]).read_text()))


def payload_schema(message: dict[str, Any]) -> dict[str, Any]:
    return published_schema(message["payload"]["$ref"])


@pytest.mark.parametrize("name", sorted(MESSAGES))
def test_every_example_is_valid_by_the_documents_own_schemas(name: str) -> None:
    message = MESSAGES[name]
    for example in message.get("examples", []):
        validator(payload_schema(message), published_schema).validate(example["payload"])
        validator(message["headers"], published_schema).validate(example["headers"])


@pytest.mark.parametrize("type_name", sorted(MESSAGE_TYPES))
def test_every_message_has_an_example_typed_and_specified_by_const_headers(type_name: str) -> None:
    message_type = MESSAGE_TYPES[type_name]
    message = MESSAGES[f"{message_type.__name__}_v{message_type.version}"]
    headers = message["headers"]["properties"]

    assert headers["ce_type"]["const"] == type_name and headers["ce_specversion"]["const"] == "1.0"
    assert headers["ce_time"]["format"] == "date-time" and message["examples"]
    assert message_type.model_validate(message["examples"][0]["payload"])


def test_a_partner_command_requires_only_the_four_cloudevents_attributes() -> None:
    for message in PARTNER_IN.values():
        assert message["headers"]["required"] == ["ce_id", "ce_source", "ce_specversion", "ce_type"]
        assert "Optional" in message["bindings"]["kafka"]["key"]["description"]


@pytest.mark.parametrize("type_name", sorted(PARTNER_IN))
def test_exactly_what_the_document_requires_is_forwarded_complete_by_the_partner_bridge(type_name: str) -> None:
    message = PARTNER_IN[type_name]
    schema = payload_schema(message)
    payload = required_only(schema, message["examples"][0]["payload"])
    headers = required_headers(message, {"ce_id": "hr-42", "ce_source": "/partners/hr"})
    bridge = PartnerBridge("", "koos-gateway-partners")
    record = Record("koos.partner.helsingin-kaupunki.commands.v1", 0, 3, None, json.dumps(payload).encode(),
                    [(k, v.encode()) for k, v in headers.items()], timestamp_ms=1_800_000_000_000)

    forwarded = bridge.inbound(record)

    assert forwarded.outcome == "forwarded", dict(forwarded.headers)
    envelope = from_record(forwarded.value, forwarded.headers)
    assert envelope.id == envelope.correlationid == "hr-42" and envelope.organisationid == "helsingin-kaupunki"
    assert envelope.time == datetime.fromtimestamp(1_800_000_000, UTC)
    assert forwarded.key == envelope.partitionkey.encode() == str(payload["edition_id"]).encode()
    assert type(parse(envelope)).__name__ == message["title"]


def test_every_partner_command_is_answered_on_the_results_channel_and_matched_by_causation() -> None:
    results = channel_messages(DOCUMENT, "partner_results")
    reply = DOCUMENT["operations"]["partner_commands"]["reply"]["messages"]

    for command in PARTNER_COMMANDS:
        answers = OUTCOMES[command.ce_type()]
        assert set(answers) <= set(results) and set(answers) <= {m.ce_type() for m in PARTNER_RESULTS}
        assert all(results[a]["correlationId"]["location"] == "$message.header#/ce_causationid" for a in answers)
        assert all("ce_causationid" in results[a]["headers"]["required"] for a in answers)
        assert {r["$ref"].rsplit("/", 1)[1].removesuffix("_v1") for r in reply} >= {a.split(".")[2] for a in answers}
    assert all(m["correlationId"]["location"] == "$message.header#/ce_id" for m in PARTNER_IN.values())


def test_the_servers_are_the_development_listeners_and_a_production_template_all_with_scram() -> None:
    servers = DOCUMENT["servers"]

    assert servers["development"]["host"] == "127.0.0.1:19092" and servers["development"]["protocol"] == "kafka"
    assert servers["development-tls"]["protocol"] == servers["production"]["protocol"] == "kafka-secure"
    assert set(servers["production"]["variables"]) == {"host", "port"}
    assert all(s["security"] == [{"$ref": "#/components/securitySchemes/scram"}] for s in servers.values())
    assert DOCUMENT["components"]["securitySchemes"]["scram"]["type"] == "scramSha512"


def test_every_topic_has_its_dead_letter_and_retry_twins_with_the_headers_the_kit_writes() -> None:
    record = Record("koos.registration.commands.v1", 1, 9, b"k", b"{}", [("ce_id", b"x")])
    dead = {k for k, _ in dead_letter_headers(record, "bad", "InvalidMessage", "koos-registration")} - {"ce_id"}
    waiting = {k for k, _ in retry_headers(record, "edition unknown", RetryPolicy())} - {"ce_id"}

    assert dead == {DEAD_LETTER_PREFIX + h for h in DEAD_LETTER_HEADERS} == set(
        MESSAGES["DeadLetter"]["headers"]["required"])
    assert waiting == {RETRY_PREFIX + h for h in RETRY_HEADERS} == set(MESSAGES["RetriedRecord"]["headers"]["required"])
    addresses = {c["address"] for c in DOCUMENT["channels"].values()}
    assert {"koos.registration.commands.v1.dlq", "koos.registration.commands.v1.retry",
            "koos.partner.{organisation}.commands.v1.dlq"} <= addresses


@pytest.mark.parametrize("type_name", sorted(MESSAGE_TYPES))
def test_schemas_leave_every_object_open_as_tolerant_readers_read_them(type_name: str) -> None:
    text = json.dumps(message_schema(MESSAGE_TYPES[type_name]))

    assert '"additionalProperties": false' not in text
