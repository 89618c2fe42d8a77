"""Retention: each service's periodic job anonymises or deletes the personal data past its period.

The kinds and their default periods are the inventory's (`koos_contracts.inventory.RETENTION`); an organisation
may have periods of its own (`KOOS_RETENTION_OVERRIDES`, days per kind, e.g. `{"oslo-kommune": {"mail": 30}}`).
A service declares, in its adapters, one `Purge` per kind it stores: a function that receives the kind's
`Windows` (which data is past: per organisation, the moment before which it counts as expired) and returns how
many records it anonymised or deleted. The job runs every `KOOS_RETENTION_INTERVAL_SECONDS` (TTL indexes do
nothing on the development Mongo-wire server) and counts what it purged in `koos_retention_purged_total`.
"""

import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from koos_contracts.inventory import RETENTION
from koos_kit.clock import Clock
from koos_kit.logging import get_logger
from koos_kit.metrics import RETENTION_LAST_RUN, RETENTION_PURGED

log = get_logger("koos.retention")

Overrides = Mapping[str, Mapping[str, int]]
"""Organisation -> kind -> days."""


class UnknownRetentionKind(ValueError):
    """A kind that the inventory does not define."""


@dataclass(frozen=True)
class Windows:
    """Of one kind of data, what is past its period now: before `default` unless the organisation has its own."""

    kind: str
    now: datetime
    default: datetime
    by_organisation: Mapping[str, datetime] = field(default_factory=dict)

    def cutoff(self, organisation_id: str) -> datetime:
        """Data of this organisation counted from before this moment is past its period."""
        return self.by_organisation.get(organisation_id, self.default)

    def is_past(self, organisation_id: str, counted_from: datetime | None) -> bool:
        return counted_from is not None and counted_from < self.cutoff(organisation_id)

    def filters(self, moment_field: str, organisation_field: str = "organisation_id") -> list[dict[str, Any]]:
        """MongoDB filters, one per period, that together select exactly the documents past theirs."""
        others: dict[str, Any] = {moment_field: {"$lt": self.default}}
        if self.by_organisation:
            others[organisation_field] = {"$nin": sorted(self.by_organisation)}
        return [others, *({organisation_field: organisation, moment_field: {"$lt": cutoff}}
                          for organisation, cutoff in sorted(self.by_organisation.items()))]


class RetentionPolicy:
    """The period of each kind of data, per organisation."""

    def __init__(self, overrides: Overrides | None = None) -> None:
        self._overrides = {org: dict(kinds) for org, kinds in (overrides or {}).items()}
        for kinds in self._overrides.values():
            for kind in kinds:
                _known(kind)

    def days(self, kind: str, organisation_id: str) -> int:
        return self._overrides.get(organisation_id, {}).get(kind, _known(kind))

    def windows(self, kind: str, now: datetime) -> Windows:
        default = now - timedelta(days=_known(kind))
        own = {org: now - timedelta(days=kinds[kind]) for org, kinds in self._overrides.items() if kind in kinds}
        return Windows(kind, now, default, own)


def _known(kind: str) -> int:
    if kind not in RETENTION:
        raise UnknownRetentionKind(f"{kind!r} is not a kind of data in koos_contracts.inventory.RETENTION")
    return RETENTION[kind].days


@dataclass(frozen=True)
class Purge:
    """How a service purges one kind of data it stores (and its name in the metrics)."""

    kind: str
    name: str
    run: Callable[[Windows], Awaitable[int]]


class RetentionJob:
    """Runs every purge of a service against the policy at the clock's time."""

    def __init__(self, service: str, policy: RetentionPolicy, clock: Clock, purges: Sequence[Purge]) -> None:
        for purge in purges:
            _known(purge.kind)
        self._service = service
        self._policy = policy
        self._clock = clock
        self._purges = tuple(purges)

    async def run_once(self) -> dict[str, int]:
        """Purge what is past its period now; the count per purge."""
        now = self._clock.now()
        counts: dict[str, int] = {}
        for purge in self._purges:
            purged = await purge.run(self._policy.windows(purge.kind, now))
            counts[purge.name] = purged
            RETENTION_PURGED.labels(self._service, purge.kind).inc(purged)
        RETENTION_LAST_RUN.labels(self._service).set(time.time())
        if any(counts.values()):
            log.info("retention run purged personal data", purged=counts)
        return counts
