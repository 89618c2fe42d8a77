"""Delivery is at least once, effects exactly once: a consumer killed mid-stream loses and repeats nothing."""

import asyncio
from typing import Any

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
    services("notifications").start()
    services("evaluation").start()
    plan = open_course(capacity=CAPACITY)
    await kafka_probe.send(published(plan))
    store = AsyncMongoClient(mongo_url, uuidRepresentation="standard")[namespace.database("registration")]
    await eventually(lambda: store.offers.find_one({"_id": str(plan.edition_id)}))

    sender = asyncio.create_task(_send_registrations(kafka_probe, plan.edition_id))
    await eventually(lambda: _count_at_least(store.registrations, EVENTS // 4), timeout=120)
    registration.kill()
    await sender
    registration.start()
    await eventually(lambda: _count_at_least(store.registrations, EVENTS), timeout=180)

    expected = {str(registration_id_for(plan.edition_id, person(n).email)) for n in range(EVENTS)}
    documents = await store.registrations.find({}, {"status": 1, "queue_number": 1}).to_list(None)
    assert {d["_id"] for d in documents} == expected
    assert sum(d["status"] == "confirmed" for d in documents) == CAPACITY
    offer = await store.offers.find_one({"_id": str(plan.edition_id)})
    assert (offer["taken"], offer["in_line"], offer["next_queue_number"]) == (CAPACITY, EVENTS - CAPACITY,
                                                                             EVENTS - CAPACITY + 1)

    waiting_in_line = sorted((d for d in documents if d["status"] == "waiting"), key=lambda d: d["queue_number"])
    arrival = [str(registration_id_for(plan.edition_id, person(n).email)) for n in range(CAPACITY, EVENTS)]
    assert [d["_id"] for d in waiting_in_line] == arrival

    decisions = await kafka_probe.envelopes(REGISTRATIONS, lambda es: len({e.id for e in es}) >= EVENTS)
    confirmed = of_type(decisions, RegistrationConfirmed)
    waitlisted = of_type(decisions, RegistrationWaitlisted)
    assert len({e.id for e in confirmed}) == CAPACITY and len({e.id for e in waitlisted}) == EVENTS - CAPACITY
    assert {e.subject for e in confirmed + waitlisted} == expected
    assert "RegistrationRefused" not in {e.type for e in decisions}
    await _applied_once_downstream(mongo_client := AsyncMongoClient(mongo_url), namespace, expected)
    await mongo_client.close()


async def _applied_once_downstream(client: AsyncMongoClient, namespace: Namespace, expected: set[str]) -> None:
    """Notifications planned one mail per decision; evaluation's roster holds exactly the seated people."""
    notifications = client[namespace.database("notifications")]
    kinds = {"kind": {"$in": ["registration_confirmed", "registration_waitlisted"]}}
    await eventually(lambda: _count_at_least(notifications.notifications, EVENTS, kinds), timeout=180)
    planned = await notifications.notifications.find(kinds, {"kind": 1}).to_list(None)
    assert len(planned) == EVENTS
    assert sum(n["kind"] == "registration_confirmed" for n in planned) == CAPACITY
    assert {p["_id"] for p in await notifications.participants.find({}, {"_id": 1}).to_list(None)} == expected
    surveys = client[namespace.database("evaluation")].surveys
    survey = await eventually(lambda: _survey_with_roster(surveys, CAPACITY), timeout=120)
    assert len({entry["person_id"] for entry in survey["roster"]}) == CAPACITY


async def _send_registrations(probe: KafkaProbe, edition_id: object) -> None:
    for n in range(EVENTS):
        await probe.send(RegisterParticipant(edition_id=edition_id, person=person(n)))  # type: ignore[arg-type]


async def _count_at_least(collection: Any, count: int, query: dict[str, Any] | None = None) -> bool:
    return bool(await collection.count_documents(query or {}) >= count)


async def _survey_with_roster(surveys: Any, size: int) -> Any:
    survey = await surveys.find_one({})
    return survey if survey and len(survey["roster"]) >= size else None
