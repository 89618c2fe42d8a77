"""The partner bridge end to end: a city's partner cannot act for another city, and gets its results back."""

import json
import time
from typing import Any

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from koos_contracts import Envelope, from_record, to_record, wrap
from koos_contracts.registration import RegisterParticipant
from koos_kit.messaging.security import KafkaConnection, aiokafka_options
from tests.builders import person
from tests.fixtures.partners import ESPOO, HELSINKI, PartnerStack

pytestmark = pytest.mark.e2e


async def send(connection: KafkaConnection, topic: str, envelope: Envelope, *, claim: bool = True) -> None:
    key, value, headers = to_record(envelope)
    if not claim:
        headers = [(k, v) for k, v in headers if k != "ce_organisationid"]
    producer = AIOKafkaProducer(**aiokafka_options(connection), acks="all")
    await producer.start()
    try:
        await producer.send_and_wait(topic, value, key=key, headers=headers)
    finally:
        await producer.stop()


async def read(connection: KafkaConnection, topic: str, count: int, timeout: float = 90) -> list[Any]:
    consumer = AIOKafkaConsumer(topic, **aiokafka_options(connection), auto_offset_reset="earliest",
                                enable_auto_commit=False)
    await consumer.start()
    found: list[Any] = []
    deadline = time.monotonic() + timeout
    try:
        while len(found) < count and time.monotonic() < deadline:
            batch = await consumer.getmany(timeout_ms=500)
            found += [r for rs in batch.values() for r in rs]
    finally:
        await consumer.stop()
    assert len(found) >= count, f"{topic}: {len(found)} of {count} records in {timeout:.0f} s"
    return found


def envelope_of(record: Any) -> Envelope:
    return from_record(record.value, [(k, v or b"") for k, v in record.headers])


async def test_a_record_on_one_citys_topic_claiming_another_city_is_dead_lettered_and_changes_nothing_of_it(
        partner_stack: PartnerStack) -> None:
    helsinki = await partner_stack.partner(HELSINKI)
    as_helsinki = partner_stack.connection(helsinki)
    espoo_course = await partner_stack.publish_finnish_edition(ESPOO, capacity=10)
    helsinki_course = await partner_stack.publish_finnish_edition(HELSINKI, capacity=10)
    forged = wrap(RegisterParticipant(edition_id=espoo_course.edition_id, person=person(1, "fi")),
                  source="/partners/hr", organisation_id=ESPOO)
    unclaimed = wrap(RegisterParticipant(edition_id=espoo_course.edition_id, person=person(2, "fi")),
                     source="/partners/hr", organisation_id=HELSINKI)
    genuine = wrap(RegisterParticipant(edition_id=helsinki_course.edition_id, person=person(3, "fi")),
                   source="/partners/hr", organisation_id=HELSINKI)

    await send(as_helsinki, helsinki.commands_topic, forged)
    await send(as_helsinki, helsinki.commands_topic, unclaimed, claim=False)
    await send(as_helsinki, helsinki.commands_topic, genuine)

    (dead,) = await read(as_helsinki, helsinki.dead_letters_topic, 1)
    reason = dict(dead.headers)["koos_dlq_reason"].decode()
    assert f"'{ESPOO}' is not '{HELSINKI}'" in reason and envelope_of(dead).id == forged.id
    results = {e.causationid: e for e in map(envelope_of, await read(as_helsinki, helsinki.results_topic, 2))}
    assert results[genuine.id].type == "koos.registration.RegistrationConfirmed.v1"
    assert results[unclaimed.id].type == "koos.registration.RegistrationRefused.v1"
    assert results[unclaimed.id].organisationid == HELSINKI and forged.id not in results
    espoo = await partner_stack.roster(ESPOO, espoo_course.edition_id)
    assert (espoo["confirmed"], espoo["waiting"], espoo["seats_left"]) == ([], [], 10)


async def test_a_command_too_large_once_forwarded_is_dead_lettered_and_the_next_one_is_not_held_up(
        partner_stack: PartnerStack) -> None:
    helsinki = await partner_stack.partner(HELSINKI)
    as_helsinki = partner_stack.connection(helsinki)
    course = await partner_stack.publish_finnish_edition(HELSINKI, capacity=10)
    bulky = wrap(RegisterParticipant(edition_id=course.edition_id, person=person(4, "fi")),
                 source="/partners/hr", organisation_id=HELSINKI)
    genuine = wrap(RegisterParticipant(edition_id=course.edition_id, person=person(5, "fi")),
                   source="/partners/hr", organisation_id=HELSINKI)
    key, value, headers = to_record(bulky)
    padded = {**json.loads(value or b""), "hr_notes": "x" * 1_030_000}  # extra fields are ignored by readers
    producer = AIOKafkaProducer(**aiokafka_options(as_helsinki), acks="all")
    await producer.start()
    try:
        await producer.send_and_wait(helsinki.commands_topic, json.dumps(padded).encode(), key=key, headers=headers)
    finally:
        await producer.stop()
    await send(as_helsinki, helsinki.commands_topic, genuine)

    (dead,) = await read(as_helsinki, helsinki.dead_letters_topic, 1)
    assert dict(dead.headers)["koos_dlq_error_type"] == b"RecordTooLarge"
    assert envelope_of(dead).id == bulky.id and len(dead.value) > 1_030_000
    (result,) = [e for e in map(envelope_of, await read(as_helsinki, helsinki.results_topic, 1))
                 if e.causationid == genuine.id]
    assert result.type == "koos.registration.RegistrationConfirmed.v1"
