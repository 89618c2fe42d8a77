"""A consumed batch of registration events stored on the real Mongo-wire server: each participant and each mail
once, however often and however cut the batch is consumed again."""

import uuid
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest
from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase

from koos_kit.messaging.records import Record
from koos_kit.messaging.subscription import Delivery
from koos_kit.outbox import OutboxRelay
from koos_notifications.adapters.editions import MongoEditions
from koos_notifications.adapters.notifications import MongoNotifications
from koos_notifications.adapters.participants import MongoParticipants
from koos_notifications.domain.participant import ParticipantChange
from koos_notifications.service_layer.facts import edition_from, participant_from
from koos_notifications.service_layer.registrations import registrations_changed
from koos_notifications.service_layer.sending import send_due
from tests.fakes import RecordingPublisher
from tests.unit.notifications.course import Course, participant

pytestmark = pytest.mark.integration


@pytest.fixture
async def db(mongo_url: str) -> AsyncIterator[AsyncDatabase[Any]]:
    client: AsyncMongoClient[Any] = AsyncMongoClient(mongo_url, tz_aware=True, uuidRepresentation="standard")
    yield client[f"batch_{uuid.uuid4().hex[:8]}"]
    await client.close()


def on_mongo(db: AsyncDatabase[Any]) -> Course:
    """The unit tests' course, its stores on MongoDB (the mailer and the provider stay fakes)."""
    course = Course.create()
    course.clock.current = datetime.now(UTC).replace(microsecond=0)
    relay = OutboxRelay([db["notifications"]], RecordingPublisher(), course.clock, service="notifications")
    course.ports = replace(course.ports, editions=MongoEditions(db["editions"]),
                           participants=MongoParticipants(db["participants"]),
                           notifications=MongoNotifications(db["notifications"], db["due"], relay, course.clock))
    return course


async def test_a_batch_of_changes_consumed_again_cut_differently_changes_each_participant_once(
        db: AsyncDatabase[Any]) -> None:
    participants = MongoParticipants(db["participants"])
    now = datetime.now(UTC)
    a, b = (participant_from(participant(n), uuid.uuid4(), uuid.UUID(int=1), "org-oslo", "waiting") for n in (1, 2))
    a_seated, b_seated = (replace(p, status="confirmed", seated_at=now) for p in (a, b))
    batch = [ParticipantChange(a.registration_id, "a-waits", a), ParticipantChange(a.registration_id, "a-seated",
                                                                                  a_seated),
             ParticipantChange(b.registration_id, "b-seated", b_seated),
             ParticipantChange(b.registration_id, "b-leaves"), ParticipantChange("nobody", "nobody-leaves")]

    await participants.apply(batch[:3])
    await participants.apply(batch[:1])
    await participants.apply(batch[1:])
    await participants.apply(batch)

    stored = {d["_id"]: d async for d in db["participants"].find({})}
    assert set(stored) == {a.registration_id, b.registration_id}
    assert (stored[a.registration_id]["status"], stored[a.registration_id]["version"]) == ("confirmed", 1)
    assert (stored[b.registration_id]["status"], stored[b.registration_id]["version"]) == ("cancelled", 2)
    assert set(stored[b.registration_id]["_applied"]) == {"b-seated", "b-leaves"}
    assert (await participants.get_many([a.registration_id, "nobody"])).keys() == {a.registration_id}


async def test_a_redelivered_batch_of_registration_events_stores_and_mails_each_once(db: AsyncDatabase[Any]) -> None:
    course = on_mongo(db)
    await course.ports.editions.add(edition_from(course.published_event(), "org-oslo"))
    batch = course.rush_batch()
    deliveries = [Delivery(m, e, Record("registrations", 0, i, None, b"", [])) for i, (m, e) in enumerate(batch)]

    await registrations_changed(deliveries, course.ports)
    await registrations_changed(deliveries, course.ports)
    await registrations_changed(deliveries[3:], course.ports)
    await send_due(course.ports)

    # four decisions and the links of the repeated sign-up (participant 1 signed up again), each once
    assert len(course.subjects()) == 5 and len(set(course.subjects())) == 5
    assert await db["notifications"].count_documents({}) == 5
    assert await db["notifications"].count_documents({"status": "sent"}) == 5
    assert await db["participants"].count_documents({}) == 3
    assert await db["due"].count_documents({}) == 0
