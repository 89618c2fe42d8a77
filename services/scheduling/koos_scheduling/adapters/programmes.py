"""Programmes in MongoDB: one document per programme with its plan, stage and outbox, guarded by a version."""

from collections.abc import Sequence
from typing import Any

from pymongo.asynchronous.collection import AsyncCollection

from koos_contracts import Envelope
from koos_contracts.programmes import DraftProgramme, WorkshopPlan
from koos_kit.clock import Clock
from koos_kit.outbox import OutboxRelay
from koos_kit.versioned import StaleDocument, VersionedDocuments
from koos_scheduling.domain.programme import Programme
from koos_scheduling.service_layer.ports import ProgrammeRepository, StaleProgramme

Document = dict[str, Any]


class MongoProgrammes(ProgrammeRepository):
    """Stores programmes; the events a change raised are stored in the same document update."""

    def __init__(self, collection: AsyncCollection[Document], relay: OutboxRelay, clock: Clock) -> None:
        self._programmes = VersionedDocuments(collection, relay, clock)

    async def ensure_indexes(self) -> None:
        """The outbox index (everything else is read by `_id`)."""
        await self._programmes.ensure_indexes()

    async def get(self, programme_id: str) -> Programme | None:
        found = await self._programmes.get(programme_id)
        if found is None:
            return None
        document, version = found
        return Programme(plan=DraftProgramme.model_validate(document["plan"]),
                         organisation_id=document["organisation_id"], stage=document["stage"],
                         workshops=tuple(WorkshopPlan.model_validate(w) for w in document.get("workshops", [])),
                         version=version, applied=list(document.get("applied", [])))

    async def save(self, programme: Programme, envelopes: Sequence[Envelope]) -> None:
        try:
            programme.version = await self._programmes.save(programme.programme_id, _state(programme),
                                                            programme.version, envelopes)
        except StaleDocument as error:
            raise StaleProgramme(f"programme {programme.programme_id} changed meanwhile") from error


def _state(programme: Programme) -> Document:
    return {"organisation_id": programme.organisation_id, "plan": programme.plan.model_dump(mode="json"),
            "stage": programme.stage, "applied": programme.applied,
            "workshops": [w.model_dump(mode="json") for w in programme.workshops]}
