"""The shared pools of the rate limits: `limits`' fixed-window strategy over a storage in the gateway's own
MongoDB.

`limits` ships a MongoDB storage, but it needs motor and update pipelines, and the Mongo-wire dev server has
no pipelines; this storage implements `limits`' storage interface with the portable subset instead: an
atomic `$inc` upsert read with ReturnDocument.BEFORE (the dev server's AFTER image is unreliable under
concurrency), an expired counter deleted and started again, and a periodic delete of expired counters
besides the TTL index (which the dev server accepts but never runs). A window's number is part of each key,
so every replica counts the same window.
"""

from datetime import UTC, datetime, timedelta
from typing import Any

from limits import RateLimitItemPerSecond
from limits.aio.storage import Storage
from limits.aio.strategies import FixedWindowRateLimiter
from pymongo import ReturnDocument
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError, PyMongoError

from koos_gateway.domain.rate_limit import Quota
from koos_gateway.service_layer.rate_limits import PoolUnavailable, SharedPools

Document = dict[str, Any]


class MongoCounters(Storage):
    """`limits`' async storage on a MongoDB collection: one document per counter, `count` and `expire_at`."""

    STORAGE_SCHEME = None

    def __init__(self, collection: AsyncCollection[Document]) -> None:
        super().__init__()
        self._counters = collection

    @property
    def base_exceptions(self) -> type[Exception] | tuple[type[Exception], ...]:
        return PyMongoError

    async def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        now = datetime.now(UTC)
        for _ in range(3):
            try:
                before = await self._counters.find_one_and_update(
                    {"_id": key, "expire_at": {"$gt": now}}, {"$inc": {"count": amount},
                                                              "$setOnInsert": {"expire_at": now + timedelta(
                                                                  seconds=expiry)}},
                    upsert=True, return_document=ReturnDocument.BEFORE)
            except DuplicateKeyError:
                await self._counters.delete_one({"_id": key, "expire_at": {"$lte": now}})
                continue
            return int(before["count"] if before else 0) + amount
        raise PoolUnavailable(f"the counter {key} could not be started again")

    async def get(self, key: str) -> int:
        found = await self._counters.find_one({"_id": key, "expire_at": {"$gt": datetime.now(UTC)}})
        return int(found["count"]) if found else 0

    async def get_expiry(self, key: str) -> float:
        found = await self._counters.find_one({"_id": key})
        return (found["expire_at"] if found else datetime.now(UTC)).replace(tzinfo=UTC).timestamp()

    async def check(self) -> bool:
        await self._counters.database.command("ping")
        return True

    async def reset(self) -> int | None:
        return (await self._counters.delete_many({})).deleted_count

    async def clear(self, key: str) -> None:
        await self._counters.delete_one({"_id": key})

    async def ensure_indexes(self) -> None:
        """A TTL index for MongoDB; the periodic `forget_expired` does the same where TTL does nothing."""
        await self._counters.create_index("expire_at", expireAfterSeconds=0)

    async def forget_expired(self) -> None:
        """Delete the counters of windows that have ended."""
        await self._counters.delete_many({"expire_at": {"$lte": datetime.now(UTC)}})


class LimitsPools(SharedPools):
    """Each quota's shared pool as a `limits` fixed window over the shared storage, keyed by window."""

    def __init__(self, storage: Storage) -> None:
        self._strategy = FixedWindowRateLimiter(storage)

    async def take(self, quota: Quota, key: str, window: int) -> bool:
        item = RateLimitItemPerSecond(quota.shared_pool, quota.seconds, namespace="koos")
        try:
            return await self._strategy.hit(item, quota.name, key, str(window))
        except PyMongoError as error:
            raise PoolUnavailable(str(error)) from error
