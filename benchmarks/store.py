"""What the registration service's database shows: the one module that knows its collection layout.

Today: `koos_registration.offers` holds one document per edition (`_id` = edition id) and
`koos_registration.registrations` one per registration with `edition_id` and `status` ("confirmed",
"waiting", "cancelled"). Should the layout change, only these functions change.
"""

from collections.abc import Sequence
from typing import Any

from pymongo import AsyncMongoClient

DATABASE = "koos_registration"


def _client(mongo_url: str) -> AsyncMongoClient[dict[str, Any]]:
    return AsyncMongoClient(mongo_url, serverSelectionTimeoutMS=10_000)


async def confirmed_seats(mongo_url: str, edition_id: str) -> int:
    """How many hold a seat of an edition, as registration stored it."""
    client = _client(mongo_url)
    try:
        return await client[DATABASE]["registrations"].count_documents({"edition_id": edition_id,
                                                                         "status": "confirmed"})
    finally:
        await client.close()


async def stored_registrations(mongo_url: str, edition_ids: Sequence[str]) -> dict[str, dict[str, int]]:
    """Per edition, how many registrations are stored in each status."""
    client = _client(mongo_url)
    pipeline: list[dict[str, Any]] = [{"$match": {"edition_id": {"$in": list(edition_ids)}}},
                {"$group": {"_id": {"edition": "$edition_id", "status": "$status"}, "count": {"$sum": 1}}}]
    counts: dict[str, dict[str, int]] = {edition: {} for edition in edition_ids}
    try:
        async for row in await client[DATABASE]["registrations"].aggregate(pipeline):
            counts[row["_id"]["edition"]][row["_id"]["status"]] = row["count"]
    finally:
        await client.close()
    return counts


async def offers_known(mongo_url: str, edition_ids: Sequence[str]) -> bool:
    """Whether registration has learnt every one of these editions (so a command for them is decided at once)."""
    client = _client(mongo_url)
    try:
        known = await client[DATABASE]["offers"].count_documents({"_id": {"$in": list(edition_ids)}})
    finally:
        await client.close()
    return known == len(edition_ids)
