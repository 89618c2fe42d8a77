"""Offers and seats in MongoDB: one document per edition; every seat change is one guarded update."""

from typing import Any

from pymongo import ReturnDocument
from pymongo.asynchronous.collection import AsyncCollection

from koos_registration.domain.offer import Offer
from koos_registration.service_layer.ports import Place, Seats

Document = dict[str, Any]
LINE = {"next_queue_number": 1, "in_line": 1}
REMEMBERED_LEAVES = 100


class MongoSeats(Seats):
    """`holders` lists the registrations holding a seat and `free` counts the rest: together, the capacity."""

    def __init__(self, offers: AsyncCollection[Document]) -> None:
        self._offers = offers
        self._known: dict[str, Offer] = {}

    async def add_offer(self, offer: Offer) -> None:
        await self._offers.update_one(
            {"_id": offer.edition_id},
            {"$setOnInsert": {"organisation_id": offer.organisation_id, "capacity": offer.capacity,
                              "opens_at": offer.opens_at, "closes_at": offer.closes_at,
                              "holders": [], "free": offer.capacity, "next_queue_number": 1,
                              "in_line": 0, "left_line": []}},
            upsert=True,
        )

    async def offer(self, edition_id: str) -> Offer | None:
        """An edition's offer; offers never change once published, so each is read once."""
        if edition_id not in self._known:
            document = await self._offers.find_one({"_id": edition_id}, {"holders": 0, "left_line": 0})
            if document is None:
                return None
            self._known[edition_id] = Offer(edition_id, document["organisation_id"], document["capacity"],
                                            document["opens_at"], document["closes_at"])
        return self._known[edition_id]

    async def take(self, edition_id: str, registration_id: str) -> bool:
        result = await self._offers.update_one(
            {"_id": edition_id, "holders": {"$ne": registration_id}, "free": {"$gt": 0}},
            {"$push": {"holders": registration_id}, "$inc": {"free": -1}},
        )
        if result.modified_count == 1:
            return True
        return await self._offers.count_documents({"_id": edition_id, "holders": registration_id}) == 1

    async def release(self, edition_id: str, registration_id: str) -> None:
        await self._offers.update_one(
            {"_id": edition_id, "holders": registration_id},
            {"$pull": {"holders": registration_id}, "$inc": {"free": 1}},
        )

    async def holders(self, edition_id: str) -> list[str]:
        document = await self._offers.find_one({"_id": edition_id}, {"holders": 1})
        return list(document["holders"]) if document else []

    async def join_line(self, edition_id: str, occasion: str) -> Place:
        before = await self._offers.find_one_and_update(
            {"_id": edition_id, "last_joined": {"$ne": occasion}},
            {"$inc": {"next_queue_number": 1, "in_line": 1}, "$set": {"last_joined": occasion}},
            projection=LINE, return_document=ReturnDocument.BEFORE)
        if before is not None:
            return Place(before["next_queue_number"], before["in_line"] + 1)
        current = await self._offers.find_one({"_id": edition_id}, LINE)
        if current is None:
            raise LookupError(f"no offer for edition {edition_id}")
        return Place(current["next_queue_number"] - 1, current["in_line"])

    async def leave_line(self, edition_id: str, occasion: str) -> None:
        await self._offers.update_one(
            {"_id": edition_id, "left_line": {"$ne": occasion}},
            {"$inc": {"in_line": -1}, "$push": {"left_line": {"$each": [occasion], "$slice": -REMEMBERED_LEAVES}}})
