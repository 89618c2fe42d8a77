"""The rate limits' shared pools on the Mongo-wire server: two replicas under a concurrent flood admit exactly
the quota, and counters of ended windows start again and are cleaned away."""

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import pytest
from pymongo.asynchronous.database import AsyncDatabase

from koos_gateway.adapters.rate_counts import LimitsPools, MongoCounters
from koos_gateway.config import Settings
from koos_gateway.domain.rate_limit import Quota, client_key
from koos_gateway.service_layer.rate_limits import RateLimiter
from koos_kit.mongo import connect, database

pytestmark = pytest.mark.integration


@pytest.fixture
async def db(mongo_url: str) -> AsyncIterator[AsyncDatabase[dict[str, Any]]]:
    settings = Settings(mongo_url=mongo_url, mongo_database=f"gateway_rl_{uuid4().hex[:10]}")
    client = connect(settings)
    yield database(client, settings)
    await client.drop_database(settings.mongo_database)
    await client.close()


async def test_two_replicas_under_a_concurrent_flood_admit_exactly_the_quota(
        db: AsyncDatabase[dict[str, Any]]) -> None:
    counters = MongoCounters(db["rate_counts"])
    await counters.ensure_indexes()
    quota = Quota("sign-up", 120, 60, replicas=2)
    now = 60 * 1_000_000 + 5.0
    replicas = [RateLimiter(quota, LimitsPools(counters), lambda: now) for _ in range(2)]
    key = client_key("2001:db8:42:7::1")

    waits = await asyncio.gather(*(replicas[n % 2].wait_needed(key) for n in range(600)))

    assert sum(1 for wait in waits if wait == 0) == 120
    assert await db["rate_counts"].count_documents({}) == 1


async def test_a_counter_whose_window_ended_starts_again_and_is_cleaned_away(
        db: AsyncDatabase[dict[str, Any]]) -> None:
    counters = MongoCounters(db["rate_counts"])
    assert [await counters.incr("k", 60) for _ in range(3)] == [1, 2, 3]
    await db["rate_counts"].update_one({"_id": "k"}, {"$set": {"expire_at": datetime.now(UTC) - timedelta(1)}})

    assert await counters.get("k") == 0
    assert await counters.incr("k", 60) == 1
    await db["rate_counts"].insert_one({"_id": "old", "count": 5, "expire_at": datetime.now(UTC) - timedelta(1)})
    await counters.forget_expired()
    assert await db["rate_counts"].count_documents({}) == 1
