"""Editions in memory in front of their read model, so that a sign-up needs no round trip to MongoDB.

The gateway's consumer feeds it: a published edition goes straight in, a changed one is read again on
next use. Another replica's consumer may have applied a change first, so an entry is trusted for a few
seconds only (a stale entry is served while one read renews it); a sign-up checks the registration window,
which never changes, and registration decides.
"""

import asyncio
import time
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from koos_contracts.values import Venue
from koos_gateway.domain.editions import EditionView, SeatCount
from koos_gateway.service_layer.ports import EditionReadModel


class CachedEditions(EditionReadModel):
    """Reads through to the read model; writes go to it and keep the cache current."""

    def __init__(self, store: EditionReadModel, fresh_for_seconds: float = 5.0, max_entries: int = 10_000) -> None:
        self._store = store
        self._fresh_for = fresh_for_seconds
        self._max = max_entries
        self._entries: dict[str, tuple[EditionView, float]] = {}
        self._renewing: dict[str, asyncio.Task[None]] = {}

    async def add(self, edition: EditionView, event_id: str) -> None:
        await self._store.add(edition, event_id)
        self._entries.pop(edition.edition_id, None)

    async def reschedule(self, edition_id: str, session_id: str, starts_at: datetime, ends_at: datetime,
                         venue: Venue, event_id: str) -> None:
        await self._store.reschedule(edition_id, session_id, starts_at, ends_at, venue, event_id)
        self._entries.pop(edition_id, None)

    async def cancel_session(self, edition_id: str, session_id: str, reason: str | None, event_id: str) -> None:
        await self._store.cancel_session(edition_id, session_id, reason, event_id)
        self._entries.pop(edition_id, None)

    async def count_seats(self, edition_id: str, seats: SeatCount) -> None:
        await self._store.count_seats(edition_id, seats)
        cached = self._entries.get(edition_id)
        if cached and (cached[0].seats is None or cached[0].seats.sequence < seats.sequence):
            self._entries[edition_id] = (replace(cached[0], seats=seats), cached[1])

    async def get(self, edition_id: str) -> EditionView | None:
        """The cached edition; a stale one is served while one read renews it, a missing one is read."""
        cached = self._entries.get(edition_id)
        if cached is None:
            return await self._read(edition_id)
        if time.monotonic() - cached[1] >= self._fresh_for and edition_id not in self._renewing:
            self._renewing[edition_id] = asyncio.create_task(self._renew(edition_id))
        return cached[0]

    async def _renew(self, edition_id: str) -> None:
        try:
            await self._read(edition_id)
        except Exception:
            self._entries.pop(edition_id, None)
        finally:
            self._renewing.pop(edition_id, None)

    async def _read(self, edition_id: str) -> EditionView | None:
        edition = await self._store.get(edition_id)
        if edition is not None:
            if len(self._entries) >= self._max:
                self._entries.clear()
            self._entries[edition_id] = (edition, time.monotonic())
        return edition

    async def of_organisation(self, organisation_id: str, limit: int, offset: int) -> list[EditionView]:
        return await self._store.of_organisation(organisation_id, limit, offset)

    async def many(self, edition_ids: Sequence[str]) -> list[EditionView]:
        return await self._store.many(edition_ids)
