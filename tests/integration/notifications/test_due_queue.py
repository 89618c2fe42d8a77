"""The due queue on the real Mongo-wire server: batches of claims by concurrent senders, a sender that dies, a claim
given back, notifications stored before the queue existed."""

import asyncio
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase

from koos_kit.outbox import OutboxRelay
from koos_notifications.adapters.documents import notification_document
from koos_notifications.adapters.notifications import MongoNotifications
from koos_notifications.domain.cause import Cause
from koos_notifications.domain.delivery import Failure
from koos_notifications.domain.notification import Notification
from koos_notifications.service_layer import attempts
from koos_notifications.service_layer.facts import participant_from
from tests.fakes import FixedClock, RecordingPublisher
from tests.unit.notifications.course import participant

pytestmark = pytest.mark.integration

LEASE = timedelta(seconds=30)


@pytest.fixture
async def db(mongo_url: str) -> AsyncIterator[AsyncDatabase[Any]]:
    client: AsyncMongoClient[Any] = AsyncMongoClient(mongo_url, tz_aware=True, uuidRepresentation="standard")
    yield client[f"due_{uuid.uuid4().hex[:8]}"]
    await client.close()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime.now(UTC).replace(microsecond=0))


def sender(db: AsyncDatabase[Any], clock: FixedClock) -> MongoNotifications:
    """One sender's view of the store (each process has its own)."""
    relay = OutboxRelay([db["notifications"]], RecordingPublisher(), clock, service="notifications")
    return MongoNotifications(db["notifications"], db["due"], relay, clock)


def confirmations(count: int, clock: FixedClock) -> list[Notification]:
    cause = Cause(event_id=f"event-{uuid.uuid4()}", correlation_id="correlation-1")
    people = [participant_from(participant(n), uuid.uuid4(), uuid.UUID(int=1), "org-oslo", "confirmed", clock.now())
              for n in range(count)]
    return [Notification.for_event("registration_confirmed", person, cause, clock.now()) for person in people]


async def test_concurrent_senders_taking_batches_claim_every_notification_exactly_once(
        db: AsyncDatabase[Any], clock: FixedClock) -> None:
    store = sender(db, clock)
    await store.add(confirmations(60, clock))
    dead = await store.claim(clock.now(), clock.now(), 15)
    taken: list[attempts.Claim] = []

    async def send_loop() -> None:
        other = sender(db, clock)
        while claims := await other.claim(clock.now(), clock.now() + LEASE, 7):
            taken.extend(claims)

    await asyncio.gather(*(send_loop() for _ in range(6)))
    assert Counter(c.notification.notification_id for c in taken).most_common(1)[0][1] == 1
    assert len(taken) == 60
    assert {c.notification.notification_id for c in taken if c.in_doubt} == {
        c.notification.notification_id for c in dead}
    assert {c.attempt for c in taken if c.in_doubt} == {2} and {c.attempt for c in taken if not c.in_doubt} == {1}


async def test_what_a_sender_killed_mid_batch_held_comes_back_in_doubt_when_its_lease_ends(
        db: AsyncDatabase[Any], clock: FixedClock) -> None:
    killed = sender(db, clock)
    await killed.add(confirmations(10, clock))
    claims = await killed.claim(clock.now(), clock.now() + LEASE, 10)
    await killed.record([attempts.sent(c, clock.now(), 250, []) for c in claims[:3]])

    restarted = sender(db, clock)
    assert await restarted.claim(clock.now() + LEASE - timedelta(seconds=1), clock.now() + 2 * LEASE, 10) == []
    back = await restarted.claim(clock.now() + LEASE, clock.now() + 2 * LEASE, 10)
    assert sorted(c.notification.notification_id for c in back) == sorted(
        c.notification.notification_id for c in claims[3:])
    assert {(c.in_doubt, c.attempt) for c in back} == {(True, 2)}
    assert await restarted.record([attempts.sent(c, clock.now(), 250, []) for c in back]) == [True] * 7
    assert await killed.record([attempts.sent(c, clock.now(), 250, []) for c in claims[3:]]) == [False] * 7
    assert await db["notifications"].count_documents({"status": "sent"}) == 10
    assert await restarted.claim(clock.now() + 10 * LEASE, clock.now() + 11 * LEASE, 10) == []
    assert await db["due"].count_documents({}) == 0


async def test_a_claim_given_back_is_taken_again_as_the_same_attempt(db: AsyncDatabase[Any],
                                                                     clock: FixedClock) -> None:
    store = sender(db, clock)
    await store.add(confirmations(2, clock))
    first, second = await store.claim(clock.now(), clock.now() + LEASE, 2)
    await store.record([attempts.sent(first, clock.now(), 250, []), attempts.given_back(second, clock.now())])

    (again,) = await store.claim(clock.now(), clock.now() + LEASE, 2)
    assert again.notification.notification_id == second.notification.notification_id
    assert again.attempt == 1 and not again.in_doubt
    document = await db["notifications"].find_one({"_id": second.notification.notification_id})
    assert document is not None and document["deliveries"] == [] and document["status"] == "sending"


async def test_a_deferred_notification_is_not_taken_before_its_time(db: AsyncDatabase[Any],
                                                                    clock: FixedClock) -> None:
    store = sender(db, clock)
    await store.add(confirmations(1, clock))
    (claim,) = await store.claim(clock.now(), clock.now() + LEASE, 5)
    failure = attempts.deferred(claim, clock.now(), clock.now() + timedelta(minutes=5),
                                Failure(code=421, error_class="SMTPResponseException"))
    await store.record([failure])

    assert await store.claim(clock.now() + timedelta(minutes=4), clock.now() + timedelta(minutes=5), 5) == []
    (again,) = await store.claim(clock.now() + timedelta(minutes=5), clock.now() + LEASE, 5)
    assert again.attempt == 2


async def test_notifications_stored_before_the_due_queue_existed_are_still_sent(db: AsyncDatabase[Any],
                                                                               clock: FixedClock) -> None:
    waiting, sending = confirmations(2, clock)
    await db["notifications"].insert_many([
        notification_document(waiting),
        {**notification_document(sending), "status": "sending", "attempts": 1, "lease_until": clock.now()}])
    store = sender(db, clock)
    assert await store.claim(clock.now(), clock.now() + LEASE, 5) == []

    assert await store.requeue_waiting() == 2
    assert await store.requeue_waiting() == 2
    claims = await store.claim(clock.now(), clock.now() + LEASE, 5)
    assert sorted((c.notification.notification_id, c.in_doubt) for c in claims) == sorted(
        [(waiting.notification_id, False), (sending.notification_id, True)])
