"""Programmes in MongoDB: one document per programme with its plan, stage and outbox, guarded by a version."""

from collections.abc import Sequence
from typing import Any

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError

from koos_contracts import Envelope
from koos_contracts.programmes import DraftProgramme, WorkshopPlan
from koos_kit.clock import Clock
from koos_kit.outbox import OutboxRelay, ensure_outbox_index, outbox_fields, with_outbox
from koos_scheduling.domain.programme import Programme
from koos_scheduling.service_layer.ports import ProgrammeRepository, StaleProgramme

Document = dict[str, Any]


class MongoProgrammes(ProgrammeRepository):
    """Stores programmes; the events a change raised are stored in the same document update."""

    def __init__(self, collection: AsyncCollection[Document], relay: OutboxRelay, clock: Clock) -> None:
        self._programmes = collection
        self._relay = relay
        self._clock = clock

    async def ensure_indexes(self) -> None:
        """The outbox index (everything else is read by `_id`)."""
        await ensure_outbox_index(self._programmes)

    async def get(self, programme_id: str) -> Programme | None:
        document = await self._programmes.find_one({"_id": programme_id})
        if document is None:
            return None
        return Programme(plan=DraftProgramme.model_validate(document["plan"]),
                         organisation_id=document["organisation_id"], stage=document["stage"],
                         workshops=tuple(WorkshopPlan.model_validate(w) for w in document.get("workshops", [])),
                         version=document["version"], applied=list(document.get("applied", [])))

    async def save(self, programme: Programme, envelopes: Sequence[Envelope]) -> None:
        now, state = self._clock.now(), _state(programme)
        if programme.version == 0:
            try:
                await self._programmes.insert_one({"_id": programme.programme_id, **state, "version": 1,
                                                   **outbox_fields(envelopes, now)})
            except DuplicateKeyError as error:
                raise StaleProgramme(f"programme {programme.programme_id} was drafted meanwhile") from error
        else:
            update = with_outbox({"$set": {**state, "version": programme.version + 1}}, envelopes, now)
            result = await self._programmes.update_one({"_id": programme.programme_id, "version": programme.version},
                                                       update)
            if result.matched_count == 0:
                raise StaleProgramme(f"programme {programme.programme_id} changed meanwhile")
        programme.version += 1
        await self._relay.flush(self._programmes, programme.programme_id, envelopes)


def _state(programme: Programme) -> Document:
    return {"organisation_id": programme.organisation_id, "plan": programme.plan.model_dump(mode="json"),
            "stage": programme.stage, "applied": programme.applied,
            "workshops": [w.model_dump(mode="json") for w in programme.workshops]}
