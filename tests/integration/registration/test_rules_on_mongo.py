"""Registration's behaviour suite on the real Mongo-wire server (the same suite runs on the fakes)."""

import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
from pymongo import AsyncMongoClient
from pymongo.errors import AutoReconnect

from koos_kit.events import EventFactory
from koos_kit.outbox import OutboxRelay
from koos_kit.replies import CommandReplies
from koos_registration.adapters.book import MongoBook
from koos_registration.service_layer.handlers import Ports
from tests.behaviour.registration_rules import *  # noqa: F403
from tests.behaviour.registration_rules import NOW, Registrar
from tests.fakes import FixedClock, RecordingPublisher

pytestmark = pytest.mark.integration


class CrashOnce:
    """A collection whose next bulk write fails as if the server went away (the offer was written before)."""

    def __init__(self, collection: Any) -> None:
        self._collection = collection
        self.armed = False

    def __getattr__(self, name: str) -> Any:
        return getattr(self._collection, name)

    async def bulk_write(self, *args: Any, **kwargs: Any) -> Any:
        if self.armed:
            self.armed = False
            raise AutoReconnect("simulated crash after the offer was written")
        return await self._collection.bulk_write(*args, **kwargs)


@pytest.fixture
async def registrar(mongo_url: str) -> AsyncIterator[Registrar]:
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(mongo_url, tz_aware=True,
                                                                uuidRepresentation="standard")
    db = client[f"rules_{uuid.uuid4().hex[:10]}"]
    publisher, clock = RecordingPublisher(), FixedClock(NOW)
    relay = OutboxRelay([db.replies], publisher, clock, service="test")
    registrations = CrashOnce(db.registrations)

    def ports() -> Ports:
        book = MongoBook(db.offers, registrations, db.line, publisher)  # type: ignore[arg-type]
        return Ports(book, CommandReplies(db.replies, relay, clock), clock, EventFactory("/t"))

    def crash_next_commit() -> None:
        registrations.armed = True

    async def drain_outbox() -> None:
        await relay.drain_once(include_recent=True)

    yield Registrar(ports(), publisher, clock, crash_next_commit, second=ports(), drain_outbox=drain_outbox)
    await client.drop_database(db.name)
    await client.close()
