"""Rate limits shared by every gateway replica, decided mostly in memory.

A quota allows `amount` requests per key in each window of `seconds`, windows aligned to the clock so that
replicas agree on them without talking. Each replica may admit a small *local share* of a key's quota alone;
beyond it, it takes from the *shared pool* (the rest of the quota) in the store every replica uses. With at
most `replicas` replicas, shares and pool add up to the quota, so a key never gets more than `amount` in a
window across all of them, and the store is asked only about keys near their limit (most keys never are).
"""

import ipaddress
from dataclasses import dataclass, field

IPV6_GROUP = 64
"""IPv6 addresses are counted by /64: one household or office, which can pick any address inside it."""


@dataclass(frozen=True)
class Quota:
    """`amount` requests per key and window of `seconds`, for gateways with at most `replicas` replicas."""

    name: str
    amount: int
    seconds: int = 60
    replicas: int = 2

    @property
    def local_share(self) -> int:
        """What one replica admits before it asks the shared pool: an eighth of the quota with two replicas (so
        that one replica taking all of a key's traffic still gets all but one eighth of its quota)."""
        return self.amount // (4 * self.replicas)

    @property
    def shared_pool(self) -> int:
        """What all replicas take from the store together, once their local shares are used up."""
        return self.amount - self.replicas * self.local_share

    def window(self, now: float) -> int:
        """The number of the window a moment falls in (the same on every replica)."""
        return int(now // self.seconds)

    def seconds_left(self, now: float) -> float:
        """Until the window of this moment ends."""
        return (self.window(now) + 1) * self.seconds - now


@dataclass
class _Tally:
    window: int
    local: int = 0
    """Admitted from the local share."""
    admitted: int = 0
    """Admitted in all, from the share and the pool."""
    exhausted: bool = False


@dataclass
class LocalShares:
    """What this replica admitted per key in the current window, and which keys found the pool empty."""

    quota: Quota
    max_keys: int = 200_000
    _tallies: dict[str, _Tally] = field(default_factory=dict)

    def admit_locally(self, key: str, now: float) -> bool | None:
        """True: admitted from the local share; False: refused (the pool is empty this window); None: ask the pool."""
        tally = self._tally(key, self.quota.window(now))
        if tally.exhausted:
            return False
        if tally.local < self.quota.local_share:
            tally.local += 1
            tally.admitted += 1
            return True
        return None

    def admitted_from_pool(self, key: str, now: float) -> None:
        """The shared pool admitted this key once more."""
        self._tally(key, self.quota.window(now)).admitted += 1

    def pool_empty(self, key: str, now: float) -> None:
        """The shared pool refused this key: refuse it here until the window ends, asking no one."""
        self._tally(key, self.quota.window(now)).exhausted = True

    def admit_alone(self, key: str, now: float) -> bool:
        """Without the pool (its store is down): admit while this replica admitted less than its fixed split."""
        tally = self._tally(key, self.quota.window(now))
        if tally.exhausted or tally.admitted >= self.quota.amount // self.quota.replicas:
            return False
        tally.admitted += 1
        return True

    def _tally(self, key: str, window: int) -> _Tally:
        tally = self._tallies.get(key)
        if tally is None or tally.window != window:
            if tally is None and len(self._tallies) >= self.max_keys:
                self._tallies = {k: t for k, t in self._tallies.items() if t.window == window}
            tally = self._tallies[key] = _Tally(window)
        return tally


def client_key(address: str) -> str:
    """The key a client address is counted under: an IPv4 address, or the /64 of an IPv6 address."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return f"addr:{address}"
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if isinstance(ip, ipaddress.IPv6Address):
        return f"ip6:{int(ip) >> (128 - IPV6_GROUP):x}/{IPV6_GROUP}"
    return f"ip4:{ip}"
