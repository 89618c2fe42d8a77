"""The gauges services sample for operators, asked of the real Mongo-wire server: outbox backlog, mail in doubt,
the most overdue reminder."""

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from prometheus_client import REGISTRY
from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase

from koos_kit.outbox import OUTBOX, PENDING_SINCE
from koos_kit.sampling import outbox_backlog
from koos_notifications.adapters.gauges import notification_gauges
from tests.fakes import FixedClock

pytestmark = pytest.mark.integration

NOW = datetime.now(UTC).replace(microsecond=0)


@pytest.fixture
async def db(mongo_url: str) -> AsyncIterator[AsyncDatabase[Any]]:
    client: AsyncMongoClient[Any] = AsyncMongoClient(mongo_url, tz_aware=True, uuidRepresentation="standard")
    yield client[f"gauges_{uuid.uuid4().hex[:8]}"]
    await client.close()


async def test_the_outbox_backlog_counts_documents_with_unpublished_events_and_finds_the_oldest(
        db: AsyncDatabase[Any]) -> None:
    editions = db["editions"]
    await editions.insert_many([
        {"_id": "a", OUTBOX: [{"id": "1"}], PENDING_SINCE: NOW - timedelta(minutes=3)},
        {"_id": "b", OUTBOX: [{"id": "2"}, {"id": "3"}], PENDING_SINCE: NOW - timedelta(seconds=4)},
        {"_id": "c", "state": "published"},
    ])

    assert await outbox_backlog(editions) == (2, NOW - timedelta(minutes=3))
    assert await outbox_backlog(db["empty"]) == (0, None)


async def test_mail_in_doubt_and_the_most_overdue_reminder_are_sampled_from_the_notifications(
        db: AsyncDatabase[Any]) -> None:
    notifications = db["notifications"]
    minutes = lambda n: NOW + timedelta(minutes=n)  # noqa: E731
    await notifications.insert_many([
        {"_id": 1, "kind": "session_reminder", "status": "pending", "due_at": minutes(-10)},
        {"_id": 2, "kind": "session_reminder", "status": "pending", "due_at": minutes(-2)},
        {"_id": 3, "kind": "session_reminder", "status": "pending", "due_at": minutes(30)},
        {"_id": 4, "kind": "session_reminder", "status": "sent", "due_at": minutes(-90)},
        {"_id": 5, "kind": "registration_confirmed", "status": "pending", "due_at": minutes(-60)},
        {"_id": 6, "kind": "registration_confirmed", "status": "sending", "lease_until": minutes(-1)},
        {"_id": 7, "kind": "registration_confirmed", "status": "sending", "lease_until": minutes(1)},
        {"_id": 8, "kind": "registration_confirmed", "status": "pending", "due_at": minutes(5), "in_doubt": True},
    ])

    await notification_gauges(notifications, FixedClock(NOW))()

    assert REGISTRY.get_sample_value("koos_notifications_mails_in_doubt") == 2
    assert REGISTRY.get_sample_value("koos_notifications_oldest_pending_reminder_seconds") == 600
