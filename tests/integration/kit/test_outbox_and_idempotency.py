"""The outbox publishes what a write stored, even after a crash; an event applies to a document once."""

import uuid
from collections.abc import AsyncIterator, Sequence
from typing import Any

import pytest
from pymongo import AsyncMongoClient
from pymongo.asynchronous.collection import AsyncCollection

from koos_contracts import Envelope, wrap
from koos_contracts.registration import CancelRegistration
from koos_kit.idempotency import not_yet_applied, remember
from koos_kit.outbox import OUTBOX, PENDING_SINCE, OutboxRelay, outbox_fields, with_outbox
from tests.fakes import FixedClock, RecordingPublisher

pytestmark = pytest.mark.integration


@pytest.fixture
async def collection(mongo_url: str) -> AsyncIterator[AsyncCollection[Any]]:
    client: AsyncMongoClient[Any] = AsyncMongoClient(mongo_url, tz_aware=True, uuidRepresentation="standard")
    yield client[f"kit_{uuid.uuid4().hex[:8]}"]["things"]
    await client.close()


def envelopes(count: int) -> list[Envelope]:
    return [wrap(CancelRegistration(edition_id=uuid.uuid4(), registration_id=uuid.uuid4()), source="/t",
                 organisation_id="org") for _ in range(count)]


class BrokenPublisher:
    async def publish(self, items: Sequence[Envelope]) -> None:
        raise ConnectionError("kafka is down")


async def test_events_stored_with_a_change_are_published_once_the_relay_runs(collection: AsyncCollection[Any]) -> None:
    clock, publisher = FixedClock(), RecordingPublisher()
    stored = envelopes(2)
    await collection.insert_one({"_id": "a", "state": 1, **outbox_fields(stored, clock.now())})

    relay = OutboxRelay([collection], publisher, clock, service="test")
    assert await relay.drain_once(include_recent=True) == 2
    assert await relay.drain_once(include_recent=True) == 0
    assert [e.id for e in publisher.envelopes] == [e.id for e in stored]
    assert await collection.find_one({"_id": "a"}) == {"_id": "a", "state": 1}


async def test_a_failed_direct_publish_is_left_to_the_relay(collection: AsyncCollection[Any]) -> None:
    clock = FixedClock()
    stored = envelopes(1)
    await collection.insert_one({"_id": "b", **outbox_fields(stored, clock.now())})
    await OutboxRelay([collection], BrokenPublisher(), clock, service="test").flush(collection, "b", stored)
    assert (await collection.find_one({"_id": "b"}))[OUTBOX][0]["id"] == stored[0].id

    publisher = RecordingPublisher()
    relay = OutboxRelay([collection], publisher, clock, service="test", grace_seconds=5)
    assert await relay.drain_once() == 0
    clock.advance(seconds=6)
    assert await relay.drain_once() == 1 and publisher.envelopes == stored


async def test_events_added_while_publishing_stay_pending(collection: AsyncCollection[Any]) -> None:
    clock, publisher = FixedClock(), RecordingPublisher()
    first, second = envelopes(2)
    await collection.insert_one({"_id": "c", **outbox_fields([first], clock.now())})
    await collection.update_one({"_id": "c"}, with_outbox({"$set": {"x": 1}}, [second], clock.now()))
    relay = OutboxRelay([collection], publisher, clock, service="test")
    await relay.flush(collection, "c", [first])

    document = await collection.find_one({"_id": "c"})
    assert [e["id"] for e in document[OUTBOX]] == [second.id] and PENDING_SINCE in document
    await relay.drain_once(include_recent=True)
    assert [e.id for e in publisher.envelopes] == [first.id, second.id]


async def test_an_event_applied_twice_changes_a_document_once(collection: AsyncCollection[Any]) -> None:
    await collection.insert_one({"_id": "d", "count": 0})
    for event_id in ["e1", "e2", "e1", "e2", "e3"]:
        await collection.update_one(not_yet_applied({"_id": "d"}, event_id), remember({"$inc": {"count": 1}}, event_id))
    assert (await collection.find_one({"_id": "d"}))["count"] == 3
