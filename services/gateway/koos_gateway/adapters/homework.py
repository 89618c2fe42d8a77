"""Programmes' homework read model in MongoDB: one document per programme, each event applied once; a write
records when it was made (`_changed_at`, which retention counts from)."""

from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError

from koos_gateway.domain.homework import HomeworkGrid, HomeworkItem, TeamWork
from koos_gateway.service_layer.ports import HomeworkReadModel
from koos_kit.idempotency import not_yet_applied, remember
from koos_kit.retention import Windows

Document = dict[str, Any]


class MongoHomeworkGrid(HomeworkReadModel):
    def __init__(self, collection: AsyncCollection[Document]) -> None:
        self._programmes = collection

    async def get(self, programme_id: str) -> HomeworkGrid | None:
        document = await self._programmes.find_one({"_id": programme_id})
        if document is None:
            return None
        items = {i["key"]: HomeworkItem(i["key"], i["title"], i["description"], i["due_at"], i["workshop_key"],
                                        {t: TeamWork(w["status"], w["versions"]) for t, w in i["teams"].items()})
                 for i in document["items"]}
        return HomeworkGrid(programme_id, document["organisation_id"], items)

    async def handed_in_by(self, organisation_id: str, person_id: str) -> list[HomeworkGrid]:
        """The organisation's programmes with a version the person handed in."""
        cursor = self._programmes.find({"organisation_id": organisation_id,
                                        "items.teams": {"$exists": True}}, {"_id": 1})
        grids = [await self.get(d["_id"]) async for d in cursor]
        return [g for g in grids if g is not None and g.handed_in_by(person_id)]

    async def erase(self, organisation_id: str, person_id: str) -> int:
        """Erase what the person wrote in the organisation's programmes; how many versions."""
        erased = 0
        for grid in await self.handed_in_by(organisation_id, person_id):
            if count := grid.erase(person_id):
                await self._write(grid)
                erased += count
        return erased

    async def forget_past(self, windows: Windows) -> int:
        """Retention: erase the work of programmes whose homework last changed before its period."""
        erased = 0
        for past in windows.filters("_changed_at"):
            async for document in self._programmes.find(past, {"_id": 1}):
                grid = await self.get(document["_id"])
                if grid is not None and (count := grid.erase()):
                    await self._write(grid, touch=False)
                    erased += count
        return erased

    async def _write(self, grid: HomeworkGrid, touch: bool = True) -> None:
        fields: dict[str, Any] = {"items": [asdict(i) for i in grid.items.values()]}
        if touch:
            fields["_changed_at"] = datetime.now(UTC)
        await self._programmes.update_one({"_id": grid.programme_id}, {"$set": fields})

    async def save(self, grid: HomeworkGrid, event_id: str) -> None:
        fields = {"organisation_id": grid.organisation_id, "items": [asdict(i) for i in grid.items.values()],
                  "_changed_at": datetime.now(UTC)}
        try:
            await self._programmes.update_one(not_yet_applied({"_id": grid.programme_id}, event_id),
                                              remember({"$set": fields}, event_id), upsert=True)
        except DuplicateKeyError:
            return
