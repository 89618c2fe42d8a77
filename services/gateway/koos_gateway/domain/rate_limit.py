"""Token buckets per client address: a steady rate with short bursts allowed."""

from dataclasses import dataclass


@dataclass
class TokenBucket:
    """Holds up to `capacity` tokens, refilled at `rate` tokens per second."""

    capacity: float
    rate: float
    tokens: float
    updated: float

    def take(self, now: float) -> float:
        """Take a token; return 0 on success, else the seconds until one is available."""
        self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        if self.tokens >= 1:
            self.tokens -= 1
            return 0.0
        return (1 - self.tokens) / self.rate


class RateLimiter:
    """`per_minute` requests per minute per key, in this process only."""

    def __init__(self, per_minute: int, max_keys: int = 100_000) -> None:
        self._capacity = float(per_minute)
        self._rate = per_minute / 60.0
        self._max_keys = max_keys
        self._buckets: dict[str, TokenBucket] = {}

    def wait_needed(self, key: str, now: float) -> float:
        """0 if the request may go ahead, else the seconds to wait before retrying."""
        bucket = self._buckets.get(key)
        if bucket is None:
            self._forget_full_buckets(now)
            bucket = self._buckets[key] = TokenBucket(self._capacity, self._rate, self._capacity, now)
        return bucket.take(now)

    def _forget_full_buckets(self, now: float) -> None:
        if len(self._buckets) < self._max_keys:
            return
        refill = self._capacity / self._rate
        self._buckets = {k: b for k, b in self._buckets.items() if now - b.updated < refill}
