"""Participants in MongoDB: one document per registration; every change applies once per event id.

A registration's first event inserts its document (found by `_id` alone, so cheap on the Mongo-wire dev server
too, which scans the collection for any filter with more keys than an index has); later events read it and write
under a version guard.
"""

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError

from koos_kit.errors import RetryLater
from koos_kit.idempotency import APPLIED, remember
from koos_notifications.adapters.documents import Document, participant_fields, participant_from
from koos_notifications.domain.participant import ParticipantCopy
from koos_notifications.service_layer.ports import Participants

CHANGE_ATTEMPTS = 3


class MongoParticipants(Participants):
    """Registrations with contact data and standing."""

    def __init__(self, collection: AsyncCollection[Document]) -> None:
        self._participants = collection

    async def ensure_indexes(self) -> None:
        """Indexes the queries need."""
        await self._participants.create_index([("edition_id", 1), ("status", 1)])

    async def record(self, participant: ParticipantCopy, event_id: str) -> None:
        fields = participant_fields(participant)
        if not await self._inserted({"_id": participant.registration_id, **fields}, event_id):
            await self._change(participant.registration_id, fields, event_id)

    async def cancel(self, registration_id: str, event_id: str) -> None:
        await self._change(registration_id, {"status": "cancelled"}, event_id)

    async def get(self, registration_id: str) -> ParticipantCopy | None:
        document = await self._participants.find_one({"_id": registration_id})
        return participant_from(document) if document else None

    async def confirmed_in(self, edition_id: str) -> list[ParticipantCopy]:
        cursor = self._participants.find({"edition_id": edition_id, "status": "confirmed"}).sort("_id", 1)
        return [participant_from(document) async for document in cursor]

    async def _inserted(self, document: Document, event_id: str) -> bool:
        try:
            await self._participants.insert_one({**document, "version": 1, APPLIED: [event_id]})
        except DuplicateKeyError:
            return False
        return True

    async def _change(self, registration_id: str, fields: Document, event_id: str) -> None:
        """Set fields of a known registration once per event, under a version guard."""
        for _ in range(CHANGE_ATTEMPTS):
            current = await self._participants.find_one({"_id": registration_id}, {"version": 1, APPLIED: 1})
            if current is None or event_id in current.get(APPLIED, []):
                return
            guard = {"_id": registration_id, "version": current.get("version")}
            update = remember({"$set": fields, "$inc": {"version": 1}}, event_id)
            if (await self._participants.update_one(guard, update)).modified_count:
                return
        raise RetryLater(f"registration {registration_id} kept changing")
