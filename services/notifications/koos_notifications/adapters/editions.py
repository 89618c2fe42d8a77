"""Editions in MongoDB: one document each; every change applies once per event id."""

from collections.abc import Collection
from contextlib import suppress
from datetime import datetime
from typing import Any

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError

from koos_kit.idempotency import not_yet_applied, remember
from koos_notifications.adapters.documents import Document, edition_document, edition_from
from koos_notifications.domain.edition import EditionCopy, SessionMove
from koos_notifications.service_layer.ports import Editions


class MongoEditions(Editions):
    """Notifications' copy of editions."""

    def __init__(self, collection: AsyncCollection[Document]) -> None:
        self._editions = collection

    async def ensure_indexes(self) -> None:
        """The index the reminder planner's query needs."""
        await self._editions.create_index("last_start_at")

    async def add(self, edition: EditionCopy) -> None:
        with suppress(DuplicateKeyError):
            await self._editions.insert_one(edition_document(edition))

    async def keep_outside_dates(self, edition: EditionCopy) -> None:
        document = edition_document(edition)
        dates = document.pop("outside_dates")
        document.pop("_id")
        await self._editions.update_one({"_id": edition.edition_id},
                                        {"$set": {"outside_dates": dates}, "$setOnInsert": document}, upsert=True)

    async def get(self, edition_id: str) -> EditionCopy | None:
        document = await self._editions.find_one({"_id": edition_id})
        return edition_from(document) if document else None

    async def move_session(self, edition_id: str, move: SessionMove, event_id: str) -> None:
        changes = {"starts_at": move.starts_at, "ends_at": move.ends_at, "venue": move.venue.model_dump(),
                   "revised_at": move.decided_at}
        await self._change_session(edition_id, move.session_id, changes, event_id,
                                   {"$max": {"last_start_at": move.starts_at}})

    async def cancel_session(self, edition_id: str, session_id: str, event_id: str) -> None:
        await self._change_session(edition_id, session_id, {"status": "cancelled"}, event_id)

    async def live(self, now: datetime) -> list[EditionCopy]:
        return [edition_from(document) async for document in self._editions.find({"last_start_at": {"$gt": now}})]

    async def mark_reminded(self, edition_id: str, slot_keys: Collection[str]) -> None:
        await self._editions.update_one({"_id": edition_id},
                                        {"$addToSet": {"reminded_slots": {"$each": sorted(slot_keys)}}})

    async def _change_session(self, edition_id: str, session_id: str, changes: dict[str, Any], event_id: str,
                              more: dict[str, Any] | None = None) -> None:
        update = {"$set": {f"sessions.$[s].{name}": value for name, value in changes.items()},
                  "$inc": {"sessions.$[s].revision": 1}, **(more or {})}
        await self._editions.update_one(not_yet_applied({"_id": edition_id}, event_id), remember(update, event_id),
                                        array_filters=[{"s.session_id": session_id}])
