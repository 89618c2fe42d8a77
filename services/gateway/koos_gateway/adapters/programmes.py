"""Programmes read model in MongoDB: one document per programme, each event applied once."""

from typing import Any

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError

from koos_contracts.programmes import ProgrammeDrafted, WorkshopPlan
from koos_gateway.domain.programmes import ProgrammeView
from koos_gateway.service_layer.ports import ProgrammeReadModel
from koos_kit.idempotency import not_yet_applied, remember

Document = dict[str, Any]


class MongoProgrammes(ProgrammeReadModel):
    """Programmes by id; a write carries the event id, so an event consumed again changes nothing."""

    def __init__(self, collection: AsyncCollection[Document]) -> None:
        self._programmes = collection

    async def save(self, programme: ProgrammeView, event_id: str) -> None:
        fields = {"organisation_id": programme.organisation_id, "stage": programme.stage,
                  "drafted": programme.drafted.model_dump(mode="json"),
                  "workshops": [w.model_dump(mode="json") for w in programme.workshops]}
        try:
            await self._programmes.update_one(not_yet_applied({"_id": programme.programme_id}, event_id),
                                              remember({"$set": fields}, event_id), upsert=True)
        except DuplicateKeyError:
            return

    async def get(self, programme_id: str) -> ProgrammeView | None:
        document = await self._programmes.find_one({"_id": programme_id})
        if document is None:
            return None
        return ProgrammeView(document["organisation_id"], ProgrammeDrafted.model_validate(document["drafted"]),
                             document["stage"],
                             tuple(WorkshopPlan.model_validate(w) for w in document.get("workshops", [])))
