"""Aggregates stored one per MongoDB document, guarded by a version, with their events in the same write (outbox).

A service maps its aggregate to a plain state dict and back; this store does the rest: insert a new document
(a duplicate `_id` means someone stored it meanwhile), update an existing one only at the version it was read at,
and publish the events right after the write (the relay publishes what a crash left behind). Each write records
when it was made (`_changed_at`): retention counts from an aggregate's last change.
"""

from collections.abc import Sequence
from typing import Any

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError

from koos_contracts import Envelope
from koos_kit.clock import Clock
from koos_kit.errors import RetryLater
from koos_kit.outbox import OUTBOX, PENDING_SINCE, OutboxRelay, ensure_outbox_index, outbox_fields, with_outbox

State = dict[str, Any]
CHANGED_AT = "_changed_at"


class StaleDocument(RetryLater):
    """The document changed since it was read; read it again and retry."""


class VersionedDocuments:
    """`get` returns (state, version); `save` writes the state at `version + 1` with its events."""

    def __init__(self, collection: AsyncCollection[State], relay: OutboxRelay, clock: Clock) -> None:
        self._documents = collection
        self._relay = relay
        self._clock = clock

    @property
    def collection(self) -> AsyncCollection[State]:
        return self._documents

    async def ensure_indexes(self, *fields: str) -> None:
        """The outbox index and an index on each field named."""
        for field in fields:
            await self._documents.create_index(field)
        await ensure_outbox_index(self._documents)

    async def get(self, document_id: str) -> tuple[State, int] | None:
        document = await self._documents.find_one({"_id": document_id}, {OUTBOX: 0, PENDING_SINCE: 0})
        if document is None:
            return None
        version = document.pop("_version")
        document.pop("_id")
        document.pop(CHANGED_AT, None)
        return document, version

    async def find(self, query: State) -> list[State]:
        """The states of the documents matching a query, in `_id` order."""
        cursor = self._documents.find(query, {OUTBOX: 0, PENDING_SINCE: 0}).sort("_id", 1)
        return [document async for document in cursor]

    async def save(self, document_id: str, state: State, version: int, envelopes: Sequence[Envelope]) -> int:
        """Write the state read at `version` (0: new); the new version. StaleDocument if it moved meanwhile."""
        now = self._clock.now()
        if version == 0:
            try:
                await self._documents.insert_one({"_id": document_id, **state, "_version": 1, CHANGED_AT: now,
                                                  **outbox_fields(envelopes, now)})
            except DuplicateKeyError as error:
                raise StaleDocument(f"{document_id} was stored meanwhile") from error
        else:
            update = with_outbox({"$set": {**state, "_version": version + 1, CHANGED_AT: now}}, envelopes, now)
            result = await self._documents.update_one({"_id": document_id, "_version": version}, update)
            if result.matched_count == 0:
                raise StaleDocument(f"{document_id} changed meanwhile")
        await self._relay.flush(self._documents, document_id, envelopes)
        return version + 1
