"""The audit trail in MongoDB: one document per entry, under its id; read per organisation and person by index.

Requests record their entries through a group commit: the entries of the requests that arrive while a write is
under way go in the next write together, and each request is answered only once its entries are written.
"""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from pymongo import DESCENDING, InsertOne
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import BulkWriteError

from koos_gateway.domain.audit import AuditEntry
from koos_gateway.service_layer.ports import AuditLog
from koos_kit.group_commit import GroupCommit

Document = dict[str, Any]
DUPLICATE_KEY = 11000


class MongoAuditLog(AuditLog):
    """Entries are only ever inserted (a repeated one is a duplicate key, dropped) and deleted by retention."""

    def __init__(self, collection: AsyncCollection[Document]) -> None:
        self._entries = collection
        self.group: GroupCommit[Sequence[AuditEntry], None] = GroupCommit(self._insert)

    async def ensure_indexes(self) -> None:
        await self._entries.create_index([("organisation_id", 1), ("person_id", 1), ("at", DESCENDING)])
        await self._entries.create_index([("organisation_id", 1), ("at", DESCENDING)])

    async def record(self, entries: Sequence[AuditEntry]) -> None:
        if entries:
            await self.group.submit(entries)

    async def _insert(self, groups: list[Sequence[AuditEntry]]) -> list[None]:
        try:
            await self._entries.bulk_write([InsertOne(_document(e)) for g in groups for e in g], ordered=False)
        except BulkWriteError as error:
            if any(e.get("code") != DUPLICATE_KEY for e in error.details.get("writeErrors", [])):
                raise
        return [None] * len(groups)

    async def of_person(self, organisation_id: str, person_id: str, limit: int) -> list[AuditEntry]:
        cursor = self._entries.find({"organisation_id": organisation_id, "person_id": person_id})
        return [_entry(d) async for d in cursor.sort([("at", DESCENDING), ("_id", 1)]).limit(limit)]

    async def of_organisation(self, organisation_id: str, limit: int, before: datetime | None) -> list[AuditEntry]:
        query: Document = {"organisation_id": organisation_id}
        if before is not None:
            query["at"] = {"$lt": before}
        cursor = self._entries.find(query).sort([("at", DESCENDING), ("_id", 1)]).limit(limit)
        return [_entry(d) async for d in cursor]


def _document(entry: AuditEntry) -> Document:
    return {"_id": entry.entry_id, "organisation_id": entry.organisation_id, "actor_kind": entry.actor_kind,
            "actor_id": entry.actor_id, "action": entry.action, "subject": entry.subject,
            "person_id": entry.person_id, "at": entry.at}


def _entry(document: Document) -> AuditEntry:
    return AuditEntry(entry_id=document["_id"], organisation_id=document["organisation_id"],
                      actor_kind=document["actor_kind"], actor_id=document["actor_id"], action=document["action"],
                      subject=document["subject"], person_id=document["person_id"], at=document["at"])
