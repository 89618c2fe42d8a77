"""Participants in MongoDB: one document per registration; every change applies once per event id."""

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError

from koos_kit.idempotency import not_yet_applied, remember
from koos_notifications.adapters.documents import Document, participant_fields, participant_from
from koos_notifications.domain.participant import ParticipantCopy
from koos_notifications.service_layer.ports import Participants


class MongoParticipants(Participants):
    """Registrations with contact data and standing."""

    def __init__(self, collection: AsyncCollection[Document]) -> None:
        self._participants = collection

    async def ensure_indexes(self) -> None:
        """Indexes the queries need."""
        await self._participants.create_index([("edition_id", 1), ("status", 1)])

    async def record(self, participant: ParticipantCopy, event_id: str) -> None:
        update = remember({"$set": participant_fields(participant)}, event_id)
        try:
            await self._participants.update_one(not_yet_applied({"_id": participant.registration_id}, event_id),
                                                update, upsert=True)
        except DuplicateKeyError:
            return

    async def cancel(self, registration_id: str, event_id: str) -> None:
        update = remember({"$set": {"status": "cancelled"}}, event_id)
        await self._participants.update_one(not_yet_applied({"_id": registration_id}, event_id), update)

    async def get(self, registration_id: str) -> ParticipantCopy | None:
        document = await self._participants.find_one({"_id": registration_id})
        return participant_from(document) if document else None

    async def confirmed_in(self, edition_id: str) -> list[ParticipantCopy]:
        cursor = self._participants.find({"edition_id": edition_id, "status": "confirmed"}).sort("_id", 1)
        return [participant_from(document) async for document in cursor]
