"""Mentoring plans in MongoDB: one document per edition, written once with its event (outbox)."""

from collections.abc import Sequence

from koos_contracts import Envelope
from koos_kit.versioned import VersionedDocuments
from koos_scheduling.service_layer.ports import MentoringPlans


class MongoMentoringPlans(MentoringPlans):
    def __init__(self, documents: VersionedDocuments) -> None:
        self._documents = documents

    async def ensure_indexes(self) -> None:
        await self._documents.ensure_indexes()

    async def planned(self, edition_id: str) -> bool:
        return await self._documents.get(edition_id) is not None

    async def add(self, edition_id: str, organisation_id: str, envelopes: Sequence[Envelope]) -> None:
        await self._documents.save(edition_id, {"organisation_id": organisation_id}, 0, envelopes)
