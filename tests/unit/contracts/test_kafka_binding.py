"""Envelopes travel on Kafka in CloudEvents binary mode and come back unchanged."""

import json
from datetime import UTC, datetime
from uuid import uuid4

import pytest

from koos_contracts import MalformedRecord, from_record, parse, to_record, wrap
from koos_contracts.registration import RegisterParticipant
from tests.builders import person


def test_an_envelope_survives_the_trip_through_a_kafka_record() -> None:
    command = RegisterParticipant(edition_id=uuid4(), person=person(1, "et"))
    envelope = wrap(command, source="/partners/hr", organisation_id="tallinna-linn", correlation_id="corr-1")

    key, value, headers = to_record(envelope)

    assert key == str(command.edition_id).encode()
    names = dict(headers)
    assert names["ce_type"] == b"koos.registration.RegisterParticipant.v1"
    assert names["ce_specversion"] == b"1.0" and names["ce_organisationid"] == b"tallinna-linn"
    assert names["content-type"] == b"application/json"
    assert "Õunapuu".encode() in value
    back = from_record(value, headers)
    assert back == envelope and parse(back) == command


def test_a_record_without_cloudevents_headers_is_malformed_with_the_reason() -> None:
    with pytest.raises(MalformedRecord, match="invalid CloudEvents headers: id: Field required"):
        from_record(b'{"a": 1}', [])


def test_a_record_whose_value_is_not_an_object_is_malformed() -> None:
    with pytest.raises(MalformedRecord, match="not an object"):
        from_record(b"[1, 2]", [])


def test_a_value_nested_deeper_than_the_json_parser_goes_is_malformed_with_the_reason() -> None:
    deep = b'{"edition_id":' * 5000 + b"1" + b"}" * 5000
    with pytest.raises(MalformedRecord, match="nested deeper than a message can be"):
        from_record(deep, [("ce_type", b"koos.registration.RegisterParticipant.v1")])


def test_what_cloudevents_leaves_optional_is_taken_from_the_record_itself() -> None:
    command = RegisterParticipant(edition_id=uuid4(), person=person(2, "fi"))
    headers = [("ce_id", b"hr-7"), ("ce_source", b"/hr"), ("ce_type", b"koos.registration.RegisterParticipant.v1"),
               ("ce_specversion", b"1.0"), ("ce_organisationid", b"espoon-kaupunki")]

    envelope = from_record(command.model_dump_json().encode(), headers, key=b"the-key", timestamp_ms=1_700_000_000_500)

    assert envelope.time == datetime(2023, 11, 14, 22, 13, 20, 500_000, tzinfo=UTC)
    assert (envelope.partitionkey, envelope.correlationid) == ("the-key", "hr-7")
    assert parse(envelope) == command


def test_a_record_with_neither_time_nor_timestamp_is_malformed_with_the_reason() -> None:
    headers = [("ce_id", b"x"), ("ce_source", b"/hr"), ("ce_type", b"t"), ("ce_specversion", b"1.0"),
               ("ce_organisationid", b"o")]

    with pytest.raises(MalformedRecord, match="time: Field required"):
        from_record(b"{}", headers, key=b"k")


def test_unknown_headers_and_fields_are_ignored_by_a_tolerant_reader() -> None:
    command = RegisterParticipant(edition_id=uuid4(), person=person(3, "nb"))
    _, value, headers = to_record(wrap(command, source="/hr", organisation_id="oslo-kommune"))
    grown = json.loads(value) | {"department": "Bydel Frogner"}
    grown["person"] |= {"employee_number": "E-1234"}

    envelope = from_record(json.dumps(grown).encode(), [*headers, ("ce_traceparent", b"00-abc-01")])

    assert parse(envelope) == command
