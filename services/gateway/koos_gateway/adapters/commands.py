"""Command log in MongoDB: one document per command id; the first outcome wins."""

from datetime import datetime
from typing import Any

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError

from koos_gateway.domain.commands import CommandRecord, Outcome
from koos_gateway.service_layer.ports import CommandLog

Document = dict[str, Any]


class MongoCommandLog(CommandLog):
    """Commands by envelope id, as pending until an event caused by them arrives."""

    def __init__(self, collection: AsyncCollection[Document]) -> None:
        self._commands = collection

    async def ensure_indexes(self) -> None:
        """Indexes the clean-up needs."""
        await self._commands.create_index("touched_at")

    async def accepted(self, record: CommandRecord) -> None:
        fields = {"organisation_id": record.organisation_id, "kind": record.kind, "status": "pending",
                  "issued_by": record.issued_by, "resource": record.resource, "accepted_at": record.accepted_at,
                  "touched_at": record.accepted_at}
        try:
            await self._commands.update_one({"_id": record.command_id}, {"$setOnInsert": fields}, upsert=True)
        except DuplicateKeyError:
            return

    async def settle(self, outcome: Outcome) -> None:
        update = {"$set": {"status": outcome.status, "reason": outcome.reason, "event_type": outcome.event_type,
                           "settled_at": outcome.settled_at, "touched_at": outcome.settled_at},
                  "$setOnInsert": {"organisation_id": outcome.organisation_id, "kind": None}}
        try:
            await self._commands.update_one({"_id": outcome.command_id, "status": "pending"}, update, upsert=True)
        except DuplicateKeyError:
            return

    async def get(self, command_id: str) -> CommandRecord | None:
        document = await self._commands.find_one({"_id": command_id})
        return _record(document) if document else None

    async def forget_before(self, moment: datetime) -> int:
        """Delete records last touched before a moment (TTL indexes do not work on the Mongo-wire server)."""
        result = await self._commands.delete_many({"touched_at": {"$lt": moment}})
        return result.deleted_count


def _record(document: Document) -> CommandRecord:
    return CommandRecord(
        command_id=document["_id"], organisation_id=document["organisation_id"], kind=document.get("kind") or "",
        status=document["status"], issued_by=document.get("issued_by"), resource=document.get("resource"),
        accepted_at=document.get("accepted_at"), reason=document.get("reason"),
        settled_at=document.get("settled_at"))
