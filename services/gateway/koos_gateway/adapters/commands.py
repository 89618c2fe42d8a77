"""Command log in MongoDB: one document per command id; the first outcome wins.

A request never waits for this store: accepted commands are kept in memory for up to half a second and
written in one bulk write; outcomes are written a consumed batch at a time, and an outcome that finds its
command still in memory writes both at once (the usual case: one write per command). Either may reach the
store first, so both upsert, and only an outcome sets the status of a command that is no longer pending.
Until it is written, a command is known to the replica that accepted it.
"""

import asyncio
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from pymongo import UpdateOne
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import BulkWriteError, PyMongoError

from koos_gateway.domain.commands import CommandRecord, Outcome
from koos_gateway.service_layer.ports import CommandLog
from koos_kit.logging import get_logger

Document = dict[str, Any]
DUPLICATE_KEY = 11000
log = get_logger("koos.gateway.commands")


class MongoCommandLog(CommandLog):
    """Commands by envelope id, as pending until an event caused by them arrives."""

    def __init__(self, collection: AsyncCollection[Document], flush_after_seconds: float = 0.5) -> None:
        self._commands = collection
        self._delay = flush_after_seconds
        self._unwritten: dict[str, CommandRecord] = {}
        self._writer: asyncio.Task[None] | None = None

    async def ensure_indexes(self) -> None:
        """Indexes the clean-up needs."""
        await self._commands.create_index("touched_at")

    async def accepted(self, record: CommandRecord) -> None:
        self._unwritten[record.command_id] = record
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write_soon())

    async def settle_all(self, outcomes: Sequence[Outcome]) -> None:
        unwritten = self._unwritten
        accepted = {o.command_id: unwritten.pop(o.command_id) for o in outcomes if o.command_id in unwritten}
        try:
            await _upsert_all(self._commands, [_settled(o, accepted.get(o.command_id)) for o in outcomes])
        except PyMongoError:
            self._unwritten.update(accepted)
            raise

    async def get(self, command_id: str) -> CommandRecord | None:
        document = await self._commands.find_one({"_id": command_id})
        if document is None:
            return self._unwritten.get(command_id)
        return _record(document)

    async def forget_before(self, moment: datetime) -> int:
        """Delete records last touched before a moment (TTL indexes do not work on the Mongo-wire server)."""
        result = await self._commands.delete_many({"touched_at": {"$lt": moment}})
        return result.deleted_count

    async def close(self) -> None:
        """Write what is still in memory."""
        if self._unwritten:
            await self._write(list(self._unwritten.values()))

    async def _write_soon(self) -> None:
        await asyncio.sleep(self._delay)
        while self._unwritten:
            records = list(self._unwritten.values())
            try:
                await self._write(records)
            except PyMongoError as error:
                log.warning("command log not written yet; retrying", error_type=type(error).__name__)
                await asyncio.sleep(1.0)

    async def _write(self, records: list[CommandRecord]) -> None:
        await _upsert_all(self._commands, [_accepted(r) for r in records])
        for record in records:
            self._unwritten.pop(record.command_id, None)


def _accepted_fields(record: CommandRecord) -> Document:
    return {"organisation_id": record.organisation_id, "kind": record.kind, "issued_by": record.issued_by,
            "resource": record.resource, "accepted_at": record.accepted_at}


def _accepted(record: CommandRecord) -> tuple[Document, Document]:
    return {"_id": record.command_id}, {"$set": _accepted_fields(record),
                                        "$setOnInsert": {"status": "pending", "touched_at": record.accepted_at}}


def _settled(outcome: Outcome, accepted: CommandRecord | None = None) -> tuple[Document, Document]:
    fields = {"status": outcome.status, "reason": outcome.reason, "reason_code": outcome.reason_code,
              "event_type": outcome.event_type, "settled_at": outcome.settled_at, "touched_at": outcome.settled_at}
    if accepted is not None:
        return {"_id": outcome.command_id, "status": {"$in": ["pending", None]}}, {"$set": {
            **_accepted_fields(accepted), **fields}}
    return ({"_id": outcome.command_id, "status": {"$in": ["pending", None]}},
            {"$set": fields, "$setOnInsert": {"organisation_id": outcome.organisation_id}})


async def _upsert_all(collection: AsyncCollection[Document], updates: list[tuple[Document, Document]]) -> None:
    """Upsert each; a duplicate key means the document exists in a state the filter refuses (or a race)."""
    if not updates:
        return
    try:
        await collection.bulk_write([UpdateOne(f, u, upsert=True) for f, u in updates], ordered=False)
    except BulkWriteError as error:
        failures = error.details.get("writeErrors", [])
        if any(e.get("code") != DUPLICATE_KEY for e in failures):
            raise
        await collection.bulk_write([UpdateOne(*updates[e["index"]]) for e in failures], ordered=False)


def _record(document: Document) -> CommandRecord:
    return CommandRecord(
        command_id=document["_id"], organisation_id=document["organisation_id"], kind=document.get("kind") or "",
        status=document.get("status") or "pending", issued_by=document.get("issued_by"),
        resource=document.get("resource"), accepted_at=document.get("accepted_at"), reason=document.get("reason"),
        settled_at=document.get("settled_at"), reason_code=document.get("reason_code"),
        outcome_type=document.get("event_type"))
