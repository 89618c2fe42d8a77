"""Participants in MongoDB: one document per registration; every change applies once per event id.

A batch of changes is one bulk write, one update per registration: the fields its events set, in order, guarded by
"the last of these events is not applied yet" and upserted when the batch describes the person (a cancellation
alone never creates a copy). The events of one registration arrive in order and a document takes a batch's
events for it at once, so the applied ones are always a prefix: if the last is not applied, applying the merged
fields gives the right standing whatever of the rest was. An upsert that meets the document (the batch was applied
before, or a concurrent insert) is a duplicate key; it is tried again as a plain guarded update.
"""

from collections.abc import Collection, Sequence

from pymongo import UpdateOne
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import BulkWriteError

from koos_kit.idempotency import APPLIED, REMEMBERED
from koos_notifications.adapters.documents import Document, participant_fields, participant_from
from koos_notifications.domain.participant import ParticipantChange, ParticipantCopy
from koos_notifications.service_layer.ports import Participants

DUPLICATE_KEY = 11000


class MongoParticipants(Participants):
    """Registrations with contact data and standing."""

    def __init__(self, collection: AsyncCollection[Document]) -> None:
        self._participants = collection

    async def ensure_indexes(self) -> None:
        """Indexes the queries need."""
        await self._participants.create_index([("edition_id", 1), ("status", 1)])

    async def apply(self, changes: Sequence[ParticipantChange]) -> None:
        by_registration: dict[str, list[ParticipantChange]] = {}
        for change in changes:
            by_registration.setdefault(change.registration_id, []).append(change)
        writes = [_write(of_one) for of_one in by_registration.values()]
        if not writes:
            return
        try:
            await self._participants.bulk_write([UpdateOne(*w) for w in writes], ordered=False)
        except BulkWriteError as error:
            met = [writes[i] for i in _duplicates_only(error)]
            await self._participants.bulk_write([UpdateOne(guard, update) for guard, update, _ in met],
                                                ordered=False)

    async def get(self, registration_id: str) -> ParticipantCopy | None:
        document = await self._participants.find_one({"_id": registration_id})
        return participant_from(document) if document else None

    async def get_many(self, registration_ids: Collection[str]) -> dict[str, ParticipantCopy]:
        cursor = self._participants.find({"_id": {"$in": sorted(registration_ids)}})
        return {document["_id"]: participant_from(document) async for document in cursor}

    async def confirmed_in(self, edition_id: str) -> list[ParticipantCopy]:
        cursor = self._participants.find({"edition_id": edition_id, "status": "confirmed"}).sort("_id", 1)
        return [participant_from(document) async for document in cursor]


def _write(changes: list[ParticipantChange]) -> tuple[Document, Document, bool]:
    """One registration's changes as one guarded update: filter, update, and whether it may create the copy."""
    fields: Document = {}
    for change in changes:
        fields.update(participant_fields(change.participant) if change.participant else {"status": "cancelled"})
    events = [change.event_id for change in changes]
    guard = {"_id": changes[0].registration_id, APPLIED: {"$ne": events[-1]}}
    update = {"$set": fields, "$inc": {"version": 1},
              "$push": {APPLIED: {"$each": events, "$slice": -REMEMBERED}}}
    return guard, update, any(not change.is_cancellation for change in changes)


def _duplicates_only(error: BulkWriteError) -> list[int]:
    """The indexes of the upserts that met their document; any other error is raised again."""
    errors = error.details.get("writeErrors", [])
    if any(e.get("code") != DUPLICATE_KEY for e in errors):
        raise error
    return [int(e["index"]) for e in errors]
