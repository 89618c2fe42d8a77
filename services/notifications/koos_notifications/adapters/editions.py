"""Editions in MongoDB: one document each; every change applies once per event id. A programme's dated workshops
are documents of their own (`workshop_days`, one per programme and workshop), so that a day learnt before the
programme itself never stands in for the programme's copy."""

from collections.abc import Collection
from contextlib import suppress
from datetime import datetime
from typing import Any

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError

from koos_kit.idempotency import not_yet_applied, remember
from koos_notifications.adapters.documents import Document, edition_document, edition_from
from koos_notifications.domain.cause import Cause
from koos_notifications.domain.edition import DatedWorkshop, EditionCopy, SessionMove
from koos_notifications.service_layer.ports import Editions


class MongoEditions(Editions):
    """Notifications' copy of editions."""

    def __init__(self, collection: AsyncCollection[Document], days: AsyncCollection[Document] | None = None) -> None:
        self._editions = collection
        self._days = days if days is not None else collection.database["workshop_days"]

    async def ensure_indexes(self) -> None:
        """The indexes the reminder planner's query and the programmes' workshop days need."""
        await self._editions.create_index("last_start_at")
        await self._days.create_index("programme_id")

    async def keep_dated_workshop(self, programme_id: str, workshop: DatedWorkshop) -> None:
        cause = workshop.cause
        await self._days.replace_one({"_id": f"{programme_id}/{workshop.key}"}, {
            "programme_id": programme_id, "key": workshop.key, "event_id": cause.event_id,
            "correlation_id": cause.correlation_id, "traceparent": cause.traceparent, "details": workshop.details},
            upsert=True)

    async def dated_workshops(self, programme_id: str) -> list[DatedWorkshop]:
        cursor = self._days.find({"programme_id": programme_id}).sort("key", 1)
        return [DatedWorkshop(d["key"], Cause(d["event_id"], d["correlation_id"], d.get("traceparent", "")),
                              dict(d["details"])) async for d in cursor]

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
