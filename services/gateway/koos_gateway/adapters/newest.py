"""Keeping only the newest state of a document when events may arrive twice or out of order."""

from datetime import datetime
from typing import Any

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError

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
