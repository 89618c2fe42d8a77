"""The read models of mails, cancellations and sessions held, in MongoDB."""

from collections.abc import Sequence
from typing import Any

from pymongo import ASCENDING
from pymongo.asynchronous.collection import AsyncCollection

from koos_contracts.scheduling import SessionEnded
from koos_gateway.adapters.newest import OCCURRED_AT, keep_newest_of_all
from koos_gateway.domain.ledgers import DeliveryView, EditionProgress
from koos_gateway.domain.registrations import Contact, RegistrationView
from koos_gateway.service_layer.ledger_ports import CancelledRegistrations, DeliveryLog, Ledgers, SessionProgress

Document = dict[str, Any]


class MongoDeliveryLog(DeliveryLog):
    """One document per notification, as of its newest outcome."""

    def __init__(self, collection: AsyncCollection[Document]) -> None:
        self._deliveries = collection

    async def ensure_indexes(self) -> None:
        """The queries' index."""
        await self._deliveries.create_index([("edition_id", ASCENDING), ("person_id", ASCENDING)])

    async def record_all(self, deliveries: Sequence[DeliveryView]) -> None:
        await keep_newest_of_all(self._deliveries, [(d.notification_id, d.at, _delivery_fields(d)) for d in deliveries])

    async def of_person(self, edition_id: str, person_id: str) -> list[DeliveryView]:
        cursor = self._deliveries.find({"edition_id": edition_id, "person_id": person_id}).sort(OCCURRED_AT, 1)
        return [_delivery(d) async for d in cursor]

    async def of_edition(self, edition_id: str) -> list[DeliveryView]:
        return [_delivery(d) async for d in self._deliveries.find({"edition_id": edition_id})]


class MongoCancelledRegistrations(CancelledRegistrations):
    """Reads the cancelled registrations out of the registrations read model (it never writes)."""

    def __init__(self, registrations: AsyncCollection[Document]) -> None:
        self._registrations = registrations

    async def of_edition(self, edition_id: str) -> list[RegistrationView]:
        cursor = self._registrations.find({"edition_id": edition_id, "status": "cancelled"})
        return [_cancelled(d) async for d in cursor]


class MongoSessionProgress(SessionProgress):
    """One document per edition: the end of each session held, and whether the last one was."""

    def __init__(self, collection: AsyncCollection[Document]) -> None:
        self._progress = collection

    async def held(self, edition_id: str, session_id: str, event: SessionEnded) -> None:
        changes: Document = {f"held.{session_id}": event.ended_at}
        if event.last_of_edition:
            changes["over"] = True
        await self._progress.update_one({"_id": edition_id}, {"$set": changes}, upsert=True)

    async def get(self, edition_id: str) -> EditionProgress:
        document = await self._progress.find_one({"_id": edition_id}) or {}
        return EditionProgress(edition_id, dict(document.get("held", {})), bool(document.get("over", False)))


def mongo_ledgers(db: Any) -> tuple[Ledgers, MongoDeliveryLog]:
    """The ledgers over a gateway database, and the one whose indexes need ensuring."""
    deliveries = MongoDeliveryLog(db["deliveries"])
    return Ledgers(deliveries, MongoCancelledRegistrations(db["registrations"]),
                   MongoSessionProgress(db["progress"])), deliveries


def _delivery_fields(delivery: DeliveryView) -> Document:
    return {"organisation_id": delivery.organisation_id, "edition_id": delivery.edition_id,
            "person_id": delivery.person_id, "kind": delivery.kind, "state": delivery.state,
            "attempts": delivery.attempts, "reason": delivery.reason}


def _delivery(document: Document) -> DeliveryView:
    return DeliveryView(notification_id=document["_id"], organisation_id=document["organisation_id"],
                        edition_id=document["edition_id"], person_id=document["person_id"], kind=document["kind"],
                        state=document["state"], at=document[OCCURRED_AT], attempts=document["attempts"],
                        reason=document.get("reason"))


def _cancelled(document: Document) -> RegistrationView:
    contact = document.get("contact")
    return RegistrationView(registration_id=document["_id"], edition_id=document["edition_id"],
                            organisation_id=document["organisation_id"], person_id=document["person_id"],
                            contact=Contact(**contact) if contact else None, status="cancelled",
                            occurred_at=document[OCCURRED_AT])
