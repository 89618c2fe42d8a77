"""Transactional outbox in one document: a state change and the events it causes are one update."""

import asyncio
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from pymongo import UpdateOne
from pymongo.asynchronous.collection import AsyncCollection

from koos_contracts import Envelope
from koos_kit.clock import Clock
from koos_kit.logging import get_logger
from koos_kit.metrics import OUTBOX_PUBLISHED
from koos_kit.ports import Publisher

OUTBOX = "_outbox"
PENDING_SINCE = "_outbox_pending_since"

log = get_logger("koos.outbox")

Update = dict[str, Any]


def with_outbox(update: Update, envelopes: Sequence[Envelope], now: datetime) -> Update:
    """Add events to a document update, so that they are stored atomically with the state change."""
    if not envelopes:
        return update
    merged = {operator: dict(fields) for operator, fields in update.items()}
    merged.setdefault("$push", {})[OUTBOX] = {"$each": [e.model_dump(mode="json") for e in envelopes]}
    merged.setdefault("$min", {})[PENDING_SINCE] = now
    return merged


def outbox_fields(envelopes: Sequence[Envelope], now: datetime) -> dict[str, Any]:
    """The outbox fields of a document inserted together with the events it raised."""
    if not envelopes:
        return {}
    return {OUTBOX: [e.model_dump(mode="json") for e in envelopes], PENDING_SINCE: now}


async def ensure_outbox_index(collection: AsyncCollection[Any]) -> None:
    """A sparse index: only documents with unpublished events carry the field."""
    await collection.create_index(PENDING_SINCE, sparse=True, name="outbox_pending")


CLEARED = {"$unset": {OUTBOX: "", PENDING_SINCE: ""}}


def _only(event_ids: list[str], document_id: Any) -> dict[str, Any]:
    """The document while its outbox holds exactly these events."""
    return {"_id": document_id, OUTBOX: {"$size": len(event_ids)}, f"{OUTBOX}.id": {"$all": event_ids}}


def _taken_out(event_ids: list[str], document_id: Any) -> list[UpdateOne]:
    """Take published events out of a document's outbox, and the outbox away once empty (in this order)."""
    return [UpdateOne({"_id": document_id}, {"$pull": {OUTBOX: {"id": {"$in": event_ids}}}}),
            UpdateOne({"_id": document_id, OUTBOX: {"$size": 0}}, CLEARED)]


class OutboxRelay:
    """Publishes pending events of some collections, then removes them; a crash only causes a resend."""

    def __init__(self, collections: Sequence[AsyncCollection[Any]], publisher: Publisher, clock: Clock,
                 *, service: str, poll_seconds: float = 2.0, grace_seconds: float = 5.0) -> None:
        self._collections = list(collections)
        self._publisher = publisher
        self._clock = clock
        self._service = service
        self._poll = poll_seconds
        self._grace = timedelta(seconds=grace_seconds)

    async def flush(self, collection: AsyncCollection[Any], document_id: Any, envelopes: Sequence[Envelope]) -> None:
        """Publish events just stored with a document, then mark them sent (the fast path after a write)."""
        if not envelopes:
            return
        try:
            await self._publisher.publish(envelopes)
            await self._mark_published(collection, document_id, [envelope.id for envelope in envelopes])
        except Exception as error:
            log.warning("direct publish failed; the relay will retry", error_type=type(error).__name__)
            return
        OUTBOX_PUBLISHED.labels(self._service, "direct").inc(len(envelopes))

    async def flush_all(self, collection: AsyncCollection[Any],
                        documents: Sequence[tuple[Any, Sequence[Envelope]]]) -> None:
        """Publish the events just stored with several documents in one go, then mark them sent in one bulk write
        (and, should some document hold more events meanwhile, take out only these)."""
        pending = [(document_id, [e.id for e in stored]) for document_id, stored in documents if stored]
        if not pending:
            return
        envelopes = [envelope for _, stored in documents for envelope in stored]
        try:
            await self._publisher.publish(envelopes)
            marked = await collection.bulk_write([UpdateOne(_only(ids, document_id), CLEARED)
                                                  for document_id, ids in pending], ordered=False)
            if marked.modified_count < len(pending):
                await collection.bulk_write([write for document_id, ids in pending
                                             for write in _taken_out(ids, document_id)])
        except Exception as error:
            log.warning("direct publish failed; the relay will retry", error_type=type(error).__name__)
            return
        OUTBOX_PUBLISHED.labels(self._service, "direct").inc(len(envelopes))

    async def drain_once(self, *, include_recent: bool = False) -> int:
        """Publish what earlier fast paths left behind; return how many events went out."""
        horizon = self._clock.now() - (timedelta(0) if include_recent else self._grace)
        sent = 0
        for collection in self._collections:
            cursor = collection.find({PENDING_SINCE: {"$lte": horizon}}, {OUTBOX: 1}).limit(200)
            async for document in cursor:
                sent += await self._publish_document(collection, document, "relay")
        return sent

    async def run(self) -> None:
        """Drain forever, every few seconds, starting with everything pending."""
        first = True
        while True:
            try:
                await self.drain_once(include_recent=first)
                first = False
            except Exception as error:
                log.warning("outbox relay round failed", error_type=type(error).__name__)
            await asyncio.sleep(self._poll)

    async def _publish_document(self, collection: AsyncCollection[Any], document: dict[str, Any], path: str) -> int:
        entries = document.get(OUTBOX) or []
        if entries:
            await self._publisher.publish([Envelope.model_validate(entry) for entry in entries])
            OUTBOX_PUBLISHED.labels(self._service, path).inc(len(entries))
        await self._mark_published(collection, document["_id"], [entry["id"] for entry in entries])
        return len(entries)

    @staticmethod
    async def _mark_published(collection: AsyncCollection[Any], document_id: Any, event_ids: list[str]) -> None:
        if event_ids and (await collection.update_one(_only(event_ids, document_id), CLEARED)).modified_count:
            return
        if event_ids:
            await collection.update_one({"_id": document_id}, {"$pull": {OUTBOX: {"id": {"$in": event_ids}}}})
        await collection.update_one({"_id": document_id, OUTBOX: {"$size": 0}}, CLEARED)
