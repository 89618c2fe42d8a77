"""Registrations read model in MongoDB: one document per registration, as of its newest event."""

from collections.abc import Sequence
from typing import Any

from pymongo import ASCENDING
from pymongo.asynchronous.collection import AsyncCollection

from koos_gateway.adapters.newest import OCCURRED_AT, keep_newest_of_all
from koos_gateway.domain.registrations import ACTIVE, Contact, RegistrationChange, RegistrationView
from koos_gateway.service_layer.ports import RegistrationReadModel

Document = dict[str, Any]


class MongoRegistrations(RegistrationReadModel):
    """Registrations by id; an event older than the stored state changes nothing."""

    def __init__(self, collection: AsyncCollection[Document]) -> None:
        self._registrations = collection

    async def ensure_indexes(self) -> None:
        """Indexes the queries need."""
        await self._registrations.create_index(
            [("edition_id", ASCENDING), ("status", ASCENDING), ("queue_number", ASCENDING)])
        await self._registrations.create_index([("organisation_id", ASCENDING), ("person_id", ASCENDING)])

    async def apply_all(self, changes: Sequence[RegistrationChange]) -> None:
        await keep_newest_of_all(self._registrations, [(c.registration_id, c.occurred_at, _change_fields(c))
                                                       for c in changes])

    async def get(self, registration_id: str) -> RegistrationView | None:
        document = await self._registrations.find_one({"_id": registration_id})
        return _registration(document) if document else None

    async def active_of_edition(self, edition_id: str) -> list[RegistrationView]:
        cursor = self._registrations.find({"edition_id": edition_id, "status": {"$in": list(ACTIVE)}})
        return [_registration(document) async for document in cursor]

    async def of_person(self, organisation_id: str, person_id: str) -> list[RegistrationView]:
        cursor = self._registrations.find({"organisation_id": organisation_id, "person_id": person_id})
        return [_registration(document) async for document in cursor.sort(OCCURRED_AT, ASCENDING)]

    async def waiting_ahead(self, edition_id: str, queue_number: int) -> int:
        return await self._registrations.count_documents(
            {"edition_id": edition_id, "status": "waiting", "queue_number": {"$lt": queue_number}})



def _change_fields(change: RegistrationChange) -> Document:
    fields: Document = {"edition_id": change.edition_id, "organisation_id": change.organisation_id,
                        "person_id": change.person_id, "status": change.status}
    optional = {"contact": _contact_document(change.contact), "queue_number": change.queue_number,
                "reason_code": change.reason_code, "reason": change.reason}
    fields.update({name: value for name, value in optional.items() if value is not None})
    return fields


def _contact_document(contact: Contact | None) -> Document | None:
    return {"name": contact.name, "email": contact.email, "language": contact.language} if contact else None


def _registration(document: Document) -> RegistrationView:
    contact = document.get("contact")
    return RegistrationView(
        registration_id=document["_id"], edition_id=document["edition_id"],
        organisation_id=document["organisation_id"], person_id=document["person_id"],
        contact=Contact(**contact) if contact else None, status=document["status"],
        occurred_at=document[OCCURRED_AT], queue_number=document.get("queue_number"),
        reason_code=document.get("reason_code"), reason=document.get("reason"))
