"""Offers and seats in MongoDB: one document per edition; every seat change is one guarded update."""

from typing import Any

from pymongo import ReturnDocument
from pymongo.asynchronous.collection import AsyncCollection

from koos_registration.domain.offer import Offer
from koos_registration.service_layer.ports import Seats

Document = dict[str, Any]


class MongoSeats(Seats):
    """`holders` lists the registrations holding a seat and `free` counts the rest: together, the capacity."""

    def __init__(self, offers: AsyncCollection[Document]) -> None:
        self._offers = offers

    async def add_offer(self, offer: Offer) -> None:
        await self._offers.update_one(
            {"_id": offer.edition_id},
            {"$setOnInsert": {"organisation_id": offer.organisation_id, "capacity": offer.capacity,
                              "opens_at": offer.opens_at, "closes_at": offer.closes_at,
                              "holders": [], "free": offer.capacity, "next_queue_number": 1}},
            upsert=True,
        )

    async def offer(self, edition_id: str) -> Offer | None:
        document = await self._offers.find_one({"_id": edition_id}, {"holders": 0})
        if document is None:
            return None
        return Offer(edition_id, document["organisation_id"], document["capacity"],
                     document["opens_at"], document["closes_at"])

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

    async def next_queue_number(self, edition_id: str) -> int:
        before = await self._offers.find_one_and_update(
            {"_id": edition_id}, {"$inc": {"next_queue_number": 1}}, return_document=ReturnDocument.BEFORE
        )
        if before is None:
            raise LookupError(f"no offer for edition {edition_id}")
        return int(before["next_queue_number"])
