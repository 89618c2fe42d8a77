"""Keeping only the newest state of a document when events may arrive twice or out of order."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from pymongo import UpdateOne
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import BulkWriteError, DuplicateKeyError

OCCURRED_AT = "occurred_at"


async def keep_newest(collection: AsyncCollection[Any], document_id: str, occurred_at: datetime,
                      fields: dict[str, Any]) -> bool:
    """Set fields unless a newer event was applied; return whether they were set.

    A document holding an older (or equally old) state matches the filter and is updated; a missing one is
    inserted; a newer one does not match, so the upsert collides with its id and nothing changes.
    """
    newer_or_equal = {"_id": document_id, OCCURRED_AT: {"$lte": occurred_at}}
    update = {"$set": {**fields, OCCURRED_AT: occurred_at}}
    try:
        result = await collection.update_one(newer_or_equal, update, upsert=True)
    except DuplicateKeyError:
        result = await collection.update_one(newer_or_equal, update)
    return result.matched_count > 0 or result.upserted_id is not None


Change = tuple[str, datetime, dict[str, Any]]
DUPLICATE_KEY = 11000


def collapsed(changes: Sequence[Change]) -> list[Change]:
    """One change per document: later changes of a batch on top of earlier ones, the newest time kept."""
    merged: dict[str, Change] = {}
    for document_id, occurred_at, fields in changes:
        known = merged.get(document_id)
        if known is not None and known[1] > occurred_at:
            continue
        merged[document_id] = (document_id, occurred_at, {**(known[2] if known else {}), **fields})
    return list(merged.values())


async def keep_newest_of_all(collection: AsyncCollection[Any], changes: Sequence[Change]) -> None:
    """`keep_newest` for a batch of changes, in one bulk write (plus one for upserts that raced an insert)."""
    updates = [({"_id": i, OCCURRED_AT: {"$lte": at}}, {"$set": {**fields, OCCURRED_AT: at}})
               for i, at, fields in collapsed(changes)]
    if not updates:
        return
    try:
        await collection.bulk_write([UpdateOne(f, u, upsert=True) for f, u in updates], ordered=False)
    except BulkWriteError as error:
        failures = error.details.get("writeErrors", [])
        if any(e.get("code") != DUPLICATE_KEY for e in failures):
            raise
        await collection.bulk_write([UpdateOne(*updates[e["index"]]) for e in failures], ordered=False)
