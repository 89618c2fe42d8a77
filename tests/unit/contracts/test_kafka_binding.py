"""Envelopes travel on Kafka in CloudEvents binary mode and come back unchanged."""

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
