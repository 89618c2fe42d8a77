"""The registration core on the real servers: a record that must wait holds up nothing, poison and refusals are
set aside once each (also across a crash), and a consumer that loses its partition gives no seat twice."""

import asyncio
import time
from typing import Any
from uuid import UUID, uuid4

import pytest
from aiokafka.partitioner import DefaultPartitioner
from pymongo import AsyncMongoClient

from koos_contracts import Envelope
from koos_contracts.catalogue import OUTCOME_TYPES
from koos_contracts.identity import registration_id_for
from koos_contracts.registration import (
    CancellationRefused,
    CancelRegistration,
    RegisterParticipant,
    RegistrationConfirmed,
    RegistrationWaitlisted,
)
from koos_contracts.topics import REGISTRATION_COMMANDS, REGISTRATIONS
from tests.builders import open_course, person, published
from tests.fixtures.kafka import KafkaProbe, eventually, of_type
from tests.fixtures.services import Namespace, ServiceFactory

pytestmark = pytest.mark.e2e


def partition_of(key: UUID) -> int:
    """The partition Kafka's default partitioner gives a key (as the producer does)."""
    return int(DefaultPartitioner()(str(key).encode(), list(range(REGISTRATION_COMMANDS.partitions)), []))


def edition_on_the_partition_of(other: UUID) -> UUID:
    """An edition id whose commands land on the same partition as another edition's."""
    while partition_of(candidate := uuid4()) != partition_of(other):
        pass
    return candidate


def registration_of(edition_id: UUID, n: int) -> str:
    return str(registration_id_for(edition_id, person(n).email))


async def test_a_record_that_must_wait_holds_up_nothing_and_poison_and_refusals_are_set_aside_once(
        services: ServiceFactory, kafka_probe: KafkaProbe) -> None:
    registration = services("registration", retry_delay_seconds="1").start()
    known = open_course(capacity=50)
    later = open_course(edition_id=edition_on_the_partition_of(known.edition_id), capacity=5)
    await kafka_probe.send(published(known))
    await _decided(kafka_probe, known.edition_id, [0], timeout=60, first=RegisterParticipant)

    started = time.monotonic()
    waiting = await kafka_probe.send(RegisterParticipant(edition_id=later.edition_id, person=person(100)))
    for poison in (b"{not json", b"[]"):
        await kafka_probe.send_raw(REGISTRATION_COMMANDS, poison, key=str(known.edition_id).encode(),
                                   headers=[("ce_type", RegisterParticipant.ce_type().encode())])
    refused = await kafka_probe.send(CancelRegistration(edition_id=known.edition_id, registration_id=uuid4()))
    for n in range(1, 21):
        await kafka_probe.send(RegisterParticipant(edition_id=known.edition_id, person=person(n)))

    await _decided(kafka_probe, known.edition_id, list(range(1, 21)), timeout=20)
    assert time.monotonic() - started < 20, "the commands behind the waiting one were held up"
    await kafka_probe.records(REGISTRATION_COMMANDS.dlq, lambda rs: len(rs) >= 2)
    registration.kill()
    registration.start()
    await kafka_probe.send(published(later))
    decisions = await _decided(kafka_probe, later.edition_id, [100], timeout=60)

    assert [e.causationid for e in of_type(decisions, RegistrationConfirmed)
            if e.subject == registration_of(later.edition_id, 100)] == [waiting.id]
    await asyncio.sleep(3)
    dead = await kafka_probe.records(REGISTRATION_COMMANDS.dlq, lambda rs: len(rs) >= 2)
    assert sorted(r.value for r in dead) == [b"[]", b"{not json"]
    everything = await kafka_probe.envelopes(REGISTRATIONS, lambda es: bool(of_type(es, CancellationRefused)))
    assert [e.causationid for e in of_type(everything, CancellationRefused)] == [refused.id]
    _one_outcome_each(everything)


async def test_a_registration_consumer_killed_mid_rush_hands_over_without_giving_a_seat_twice(
        services: ServiceFactory, kafka_probe: KafkaProbe, mongo_url: str, namespace: Namespace) -> None:
    first = services("registration", consumer_batch_records="50").start()
    second = services("registration", consumer_batch_records="50").start()
    plan = open_course(capacity=150)
    await kafka_probe.send(published(plan))
    store = AsyncMongoClient(mongo_url, uuidRepresentation="standard")[namespace.database("registration")]
    await eventually(lambda: store.offers.find_one({"_id": str(plan.edition_id)}))

    sender = asyncio.create_task(_register(kafka_probe, plan.edition_id, range(600)))
    await eventually(lambda: _stored_at_least(store, 150), timeout=120)
    owner = _owner_of(plan.edition_id, first, second)
    owner.kill()
    await sender
    await eventually(lambda: _stored_at_least(store, 600), timeout=180)

    documents = await store.registrations.find({}, {"status": 1, "queue_number": 1}).to_list(None)
    assert len(documents) == 600 and sum(d["status"] == "confirmed" for d in documents) == 150
    line = sorted((d for d in documents if d["status"] == "waiting"), key=lambda d: d["queue_number"])
    assert [d["_id"] for d in line] == [registration_of(plan.edition_id, n) for n in range(150, 600)]
    assert [d["queue_number"] for d in line] == list(range(1, 451))
    decisions = await _decided(kafka_probe, plan.edition_id, list(range(600)), timeout=120)
    seated = {e.subject for e in of_type(decisions, RegistrationConfirmed)}
    assert len(seated) == 150 and seated == {registration_of(plan.edition_id, n) for n in range(150)}
    _one_outcome_each(decisions)


async def _register(probe: KafkaProbe, edition_id: UUID, people: range) -> None:
    for n in people:
        await probe.send(RegisterParticipant(edition_id=edition_id, person=person(n)))
        if n % 50 == 0:
            await asyncio.sleep(0.05)


async def _decided(probe: KafkaProbe, edition_id: UUID, people: list[int], timeout: float,
                   first: type | None = None) -> list[Envelope]:
    if first is not None:
        await probe.send(first(edition_id=edition_id, person=person(people[0])))
    wanted = {registration_of(edition_id, n) for n in people}

    def all_decided(envelopes: list[Envelope]) -> bool:
        decided = {e.subject for e in envelopes if e.type in (RegistrationConfirmed.ce_type(),
                                                                RegistrationWaitlisted.ce_type())}
        return wanted <= decided

    return await probe.envelopes(REGISTRATIONS, all_decided, timeout=timeout)


def _one_outcome_each(envelopes: list[Envelope]) -> None:
    """Every command was answered by exactly one outcome (an event published twice keeps its id)."""
    distinct = {e.id: e for e in envelopes}.values()
    outcomes: dict[str | None, int] = {}
    for envelope in distinct:
        if envelope.type in OUTCOME_TYPES:
            outcomes[envelope.causationid] = outcomes.get(envelope.causationid, 0) + 1
    assert outcomes and set(outcomes.values()) == {1}


async def _stored_at_least(store: Any, count: int) -> bool:
    return bool(await store.registrations.count_documents({}) >= count)


def _owner_of(edition_id: UUID, *candidates: Any) -> Any:
    """The instance whose latest assignment holds the edition's partition of the command topic."""
    holds = f"{REGISTRATION_COMMANDS.name}', partition={partition_of(edition_id)})"
    for candidate in candidates:
        assignments = [line for line in candidate.log().splitlines() if "assigned to partitions" in line
                       and f"{REGISTRATION_COMMANDS.name}'" in line]
        if assignments and holds in assignments[-1]:
            return candidate
    raise AssertionError("no registration instance holds the edition's partition")
