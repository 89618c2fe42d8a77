"""The gateway's audit trail on the real Mongo-wire server: newest first, per person, per organisation, once."""

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pymongo import AsyncMongoClient

from koos_gateway.adapters.audit import MongoAuditLog
from koos_gateway.domain.audit import access_entry, event_entry

pytestmark = pytest.mark.integration
AT = datetime(2027, 5, 23, 9, 0, tzinfo=UTC)


@pytest.fixture
async def log(mongo_url: str) -> AsyncIterator[MongoAuditLog]:
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(mongo_url, tz_aware=True)
    db = client[f"audit_{uuid.uuid4().hex[:10]}"]
    audit = MongoAuditLog(db.audit)
    await audit.ensure_indexes()
    yield audit
    await client.drop_database(db.name)
    await client.close()


async def test_a_persons_trail_is_their_organisations_entries_about_them_newest_first(log: MongoAuditLog) -> None:
    await log.record([
        access_entry("oslo", "staff", "kari", "roster.read", "r1", "p1", AT),
        access_entry("oslo", "staff", "kari", "registration.cancel", "r1", "p1", AT + timedelta(minutes=1)),
        access_entry("oslo", "staff", "kari", "roster.read", "r2", "p2", AT),
        access_entry("bergen", "staff", "ola", "roster.read", "r9", "p1", AT)])

    trail = await log.of_person("oslo", "p1", 10)

    assert [(e.action, e.subject) for e in trail] == [("registration.cancel", "r1"), ("roster.read", "r1")]
    assert [e.actor_id for e in await log.of_organisation("bergen", 10, None)] == ["ola"]
    assert len(await log.of_organisation("oslo", 10, AT + timedelta(seconds=1))) == 2


async def test_an_event_recorded_again_is_kept_once(log: MongoAuditLog) -> None:
    entry = event_entry("event-1", "oslo", "registration", "RegistrationCancelled", "r1", "p1", AT)

    await log.record([entry])
    await log.record([entry, event_entry("event-2", "oslo", "registration", "RegistrationPromoted", "r2", "p2", AT)])

    assert sorted(e.action for e in await log.of_organisation("oslo", 10, None)) == [
        "RegistrationCancelled", "RegistrationPromoted"]
