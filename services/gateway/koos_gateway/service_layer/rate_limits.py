"""Deciding a rate limit: the local share in memory first, the shared pool in the store only near the limit.

Admitting from the local share costs a dictionary lookup; only a key past its share costs one store round
trip per request, and once the pool says no, the key is refused in memory until its window ends. If the
store does not answer, a replica admits a key only while it has admitted less than `amount / replicas` in the
window (a fixed split, which needs no store).
"""

import abc
import math
import time
from collections.abc import Callable
from dataclasses import dataclass

from koos_gateway.domain.rate_limit import LocalShares, Quota
from koos_kit.logging import get_logger

log = get_logger("koos.gateway.rate_limits")


class PoolUnavailable(Exception):
    """The store of the shared pools did not answer."""


class SharedPools(abc.ABC):
    """The part of each quota every replica takes from, kept in a store they share."""

    @abc.abstractmethod
    async def take(self, quota: Quota, key: str, window: int) -> bool:
        """Take one from the key's pool for this window; False when it is empty. PoolUnavailable when the store
        does not answer."""


class RateLimiter:
    """One quota, decided per key."""

    def __init__(self, quota: Quota, pools: SharedPools, clock: Callable[[], float] = time.time) -> None:
        self.quota = quota
        self._pools = pools
        self._clock = clock
        self._shares = LocalShares(quota)

    async def wait_needed(self, key: str) -> float:
        """0 when the request may go ahead, else the seconds until the key's window ends."""
        now = self._clock()
        local = self._shares.admit_locally(key, now)
        if local is None:
            local = await self._from_pool(key, now)
        if local:
            return 0.0
        return float(max(1, math.ceil(self.quota.seconds_left(now))))

    async def _from_pool(self, key: str, now: float) -> bool:
        try:
            taken = await self._pools.take(self.quota, key, self.quota.window(now))
        except PoolUnavailable:
            log.warning("the rate limits' store does not answer; this replica keeps to its split",
                        limit=self.quota.name)
            return self._shares.admit_alone(key, now)
        if taken:
            self._shares.admitted_from_pool(key, now)
        else:
            self._shares.pool_empty(key, now)
        return taken


@dataclass(frozen=True)
class RateLimits:
    """The gateway's limits: public sign-ups per client address, requests per partner API key."""

    sign_ups: RateLimiter
    api_keys: RateLimiter


class MemoryPools(SharedPools):
    """Pools kept in this process: for a single gateway, and for tests (two limiters over one are two replicas)."""

    def __init__(self) -> None:
        self.taken: dict[tuple[str, str, int], int] = {}
        self.available = True

    async def take(self, quota: Quota, key: str, window: int) -> bool:
        if not self.available:
            raise PoolUnavailable("the store is down")
        slot = (quota.name, key, window)
        self.taken[slot] = self.taken.get(slot, 0) + 1
        return self.taken[slot] <= quota.shared_pool
