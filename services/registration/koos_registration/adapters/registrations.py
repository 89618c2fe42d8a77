"""Registrations in MongoDB: one document each, with its outbox; a version guards every change."""

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from pymongo import ASCENDING
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError

from koos_contracts import Envelope
from koos_contracts.values import Participant
from koos_kit.clock import Clock
from koos_kit.outbox import OutboxRelay, ensure_outbox_index, outbox_fields, with_outbox
from koos_registration.domain.registration import Registration
from koos_registration.service_layer.ports import Registrations, StaleRegistration

Document = dict[str, Any]


class MongoRegistrations(Registrations):
    """Stores registrations; the events a change raised are written in the same update."""

    def __init__(self, collection: AsyncCollection[Document], relay: OutboxRelay, clock: Clock) -> None:
        self._registrations = collection
        self._relay = relay
        self._clock = clock

    async def ensure_indexes(self) -> None:
        """Indexes the queries need."""
        await self._registrations.create_index(
            [("edition_id", ASCENDING), ("status", ASCENDING), ("queue_number", ASCENDING)])
        await ensure_outbox_index(self._registrations)

    async def get(self, registration_id: str) -> Registration | None:
        document = await self._registrations.find_one({"_id": registration_id}, {"_outbox": 0})
        return _registration(document) if document else None

    async def save(self, registration: Registration, envelopes: Sequence[Envelope]) -> None:
        if registration.version == 0:
            await self._insert(registration, envelopes)
        else:
            await self._update(registration, envelopes)
        registration.version += 1
        registration.events.clear()
        await self._relay.flush(self._registrations, str(registration.registration_id), envelopes)

    async def first_waiting(self, edition_id: str, excluding: Sequence[str]) -> Registration | None:
        document = await self._registrations.find_one(
            {"edition_id": edition_id, "status": "waiting", "_id": {"$nin": list(excluding)}},
            {"_outbox": 0}, sort=[("queue_number", ASCENDING)])
        return _registration(document) if document else None

    async def waiting_among(self, edition_id: str, registration_ids: Sequence[str]) -> list[Registration]:
        cursor = self._registrations.find(
            {"edition_id": edition_id, "status": "waiting", "_id": {"$in": list(registration_ids)}}, {"_outbox": 0})
        return [_registration(document) async for document in cursor]

    async def _insert(self, registration: Registration, envelopes: Sequence[Envelope]) -> None:
        document = {"_id": str(registration.registration_id), **_state(registration, 1),
                    **outbox_fields(envelopes, self._clock.now())}
        try:
            await self._registrations.insert_one(document)
        except DuplicateKeyError as error:
            raise StaleRegistration("registration was stored meanwhile") from error

    async def _update(self, registration: Registration, envelopes: Sequence[Envelope]) -> None:
        update = with_outbox({"$set": _state(registration, registration.version + 1)}, envelopes, self._clock.now())
        result = await self._registrations.update_one(
            {"_id": str(registration.registration_id), "version": registration.version}, update)
        if result.matched_count == 0:
            raise StaleRegistration("registration changed meanwhile")


def _state(registration: Registration, version: int) -> Document:
    return {
        "edition_id": str(registration.edition_id),
        "organisation_id": registration.organisation_id,
        "participant": registration.participant.model_dump(mode="json"),
        "status": registration.status,
        "queue_number": registration.queue_number,
        "version": version,
    }


def _registration(document: Document) -> Registration:
    return Registration(
        registration_id=UUID(document["_id"]),
        edition_id=UUID(document["edition_id"]),
        organisation_id=document["organisation_id"],
        participant=Participant.model_validate(document["participant"]),
        status=document["status"],
        queue_number=document["queue_number"],
        version=document["version"],
    )
