"""Delivery is at least once, effects exactly once: a consumer killed mid-stream loses and repeats nothing."""

import asyncio

import pytest
from pymongo import AsyncMongoClient

from koos_contracts.identity import registration_id_for
from koos_contracts.registration import RegisterParticipant, RegistrationConfirmed, RegistrationWaitlisted
from koos_contracts.topics import REGISTRATIONS
from tests.builders import open_course, person, published
from tests.fixtures.kafka import KafkaProbe, eventually, of_type
from tests.fixtures.services import Namespace, ServiceFactory

pytestmark = pytest.mark.e2e

EVENTS = 1000
CAPACITY = 600


async def test_killing_registration_mid_stream_applies_every_registration_exactly_once(
    services: ServiceFactory, kafka_probe: KafkaProbe, mongo_url: str, namespace: Namespace
) -> None:
    registration = services("registration").start()
    plan = open_course(capacity=CAPACITY)
    await kafka_probe.send(published(plan))
    store = AsyncMongoClient(mongo_url, uuidRepresentation="standard")[namespace.database("registration")]
    await eventually(lambda: store.offers.find_one({"_id": str(plan.edition_id)}))

    sender = asyncio.create_task(_send_registrations(kafka_probe, plan.edition_id))
    await eventually(lambda: _count_at_least(store, EVENTS // 4), timeout=120)
    registration.kill()
    await sender
    registration.start()
    await eventually(lambda: _count_at_least(store, EVENTS), timeout=180)

    expected = {str(registration_id_for(plan.edition_id, person(n).email)) for n in range(EVENTS)}
    documents = await store.registrations.find({}, {"status": 1, "queue_number": 1}).to_list(None)
    assert {d["_id"] for d in documents} == expected
    assert sum(d["status"] == "confirmed" for d in documents) == CAPACITY
    offer = await store.offers.find_one({"_id": str(plan.edition_id)})
    assert len(offer["holders"]) == len(set(offer["holders"])) == CAPACITY and offer["free"] == 0

    waiting_in_line = sorted((d for d in documents if d["status"] == "waiting"), key=lambda d: d["queue_number"])
    arrival = [str(registration_id_for(plan.edition_id, person(n).email)) for n in range(CAPACITY, EVENTS)]
    assert [d["_id"] for d in waiting_in_line] == arrival

    decisions = await kafka_probe.envelopes(REGISTRATIONS, lambda es: len({e.id for e in es}) >= EVENTS)
    confirmed = of_type(decisions, RegistrationConfirmed)
    waitlisted = of_type(decisions, RegistrationWaitlisted)
    assert len({e.id for e in confirmed}) == CAPACITY and len({e.id for e in waitlisted}) == EVENTS - CAPACITY
    assert {e.subject for e in confirmed + waitlisted} == expected
    assert "RegistrationRefused" not in {e.type for e in decisions}


async def _send_registrations(probe: KafkaProbe, edition_id: object) -> None:
    for n in range(EVENTS):
        await probe.send(RegisterParticipant(edition_id=edition_id, person=person(n)))  # type: ignore[arg-type]


async def _count_at_least(store: object, count: int) -> bool:
    return await store.registrations.count_documents({}) >= count  # type: ignore[attr-defined]
