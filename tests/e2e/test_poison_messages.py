"""Poison records go to the DLQ with the reason; the valid records behind them are still processed."""

import json

import pytest

from koos_contracts import to_record, wrap
from koos_contracts.registration import RegisterParticipant, RegistrationConfirmed
from koos_contracts.topics import REGISTRATION_COMMANDS, REGISTRATIONS
from tests.builders import open_course, person, published
from tests.fixtures.kafka import KafkaProbe, of_type
from tests.fixtures.services import ServiceFactory

pytestmark = pytest.mark.e2e


def _reason(record: object) -> str:
    headers = dict(record.headers)  # type: ignore[attr-defined]
    return headers["koos_dlq_reason"].decode()


async def test_poison_commands_are_dead_lettered_and_valid_ones_behind_them_are_handled(
    services: ServiceFactory, kafka_probe: KafkaProbe
) -> None:
    services("registration").start()
    plan = open_course(capacity=10)
    await kafka_probe.send(published(plan))
    valid = RegisterParticipant(edition_id=plan.edition_id, person=person(1))
    key, value, headers = to_record(wrap(valid, source="/partner", organisation_id="org-oslo"))
    wrong_type = [(k, b"koos.registration.FlyToTheMoon.v1" if k == "ce_type" else v) for k, v in headers]
    schema_violation = json.dumps({"edition_id": str(plan.edition_id), "person": {"email": "not-an-address"}})

    await kafka_probe.send_raw(REGISTRATION_COMMANDS, b"{this is not json", key=key, headers=headers)
    await kafka_probe.send_raw(REGISTRATION_COMMANDS, schema_violation.encode(), key=key, headers=headers)
    await kafka_probe.send_raw(REGISTRATION_COMMANDS, value, key=key, headers=wrong_type)
    await kafka_probe.send_raw(REGISTRATION_COMMANDS, value, key=key, headers=[])
    await kafka_probe.send_raw(REGISTRATION_COMMANDS, value, key=key, headers=[("ce_type", b"\xff\xfe"), ("x", None)])
    for n in range(2, 5):
        await kafka_probe.send(RegisterParticipant(edition_id=plan.edition_id, person=person(n)))

    dead = await kafka_probe.records(REGISTRATION_COMMANDS.dlq.removeprefix(""), lambda rs: len(rs) >= 5)
    reasons = [_reason(r) for r in dead]
    assert reasons[0].startswith("value is not JSON")
    assert "RegisterParticipant.v1 does not match its schema: person.email" in reasons[1]
    assert "person.name: Field required" in reasons[1]
    assert reasons[2] == "unknown message type 'koos.registration.FlyToTheMoon.v1'"
    assert reasons[3].startswith("invalid CloudEvents headers")
    assert reasons[4].startswith("invalid CloudEvents headers")
    assert dead[0].value == b"{this is not json" and dict(dead[0].headers)["ce_type"] == headers[2][1]

    decided = await kafka_probe.envelopes(REGISTRATIONS, lambda es: len(of_type(es, RegistrationConfirmed)) >= 3)
    assert {e.subject for e in of_type(decided, RegistrationConfirmed)} == {
        str(RegisterParticipant(edition_id=plan.edition_id, person=person(n)).registration_id) for n in range(2, 5)
    }
