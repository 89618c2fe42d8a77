"""Applications and jury rounds read model in MongoDB: a document per application and one per edition's jury; a
write records when it was made (`_changed_at`, which retention counts from)."""

from datetime import UTC, datetime
from typing import Any

from pymongo import ASCENDING
from pymongo.asynchronous.collection import AsyncCollection

from koos_gateway.service_layer.ports import SelectionReadModel

Document = dict[str, Any]


class MongoSelections(SelectionReadModel):
    def __init__(self, applications: AsyncCollection[Document], rounds: AsyncCollection[Document]) -> None:
        self._applications = applications
        self._rounds = rounds

    async def ensure_indexes(self) -> None:
        await self._applications.create_index([("edition_id", ASCENDING), ("applied_at", ASCENDING)])

    async def application(self, edition_id: str, organisation_id: str, application_id: str,
                          fields: dict[str, Any]) -> None:
        await self._applications.update_one(
            {"_id": application_id},
            {"$set": {**fields, "_changed_at": datetime.now(UTC)},
             "$setOnInsert": {"edition_id": edition_id, "organisation_id": organisation_id}},
            upsert=True)

    async def applications(self, edition_id: str) -> list[dict[str, Any]]:
        cursor = self._applications.find({"edition_id": edition_id}).sort([("applied_at", ASCENDING),
                                                                           ("_id", ASCENDING)])
        return [{"application_id": d.pop("_id"), **d} async for d in cursor]

    async def record(self, edition_id: str, organisation_id: str, kind: str, fact: dict[str, Any]) -> None:
        await self._rounds.update_one({"_id": edition_id}, {"$set": {kind: fact, "_changed_at": datetime.now(UTC)},
                                                            "$setOnInsert": {"organisation_id": organisation_id}},
                                      upsert=True)

    async def round(self, edition_id: str) -> dict[str, Any] | None:
        return await self._rounds.find_one({"_id": edition_id})
