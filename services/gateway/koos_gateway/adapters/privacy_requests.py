"""Export and erasure requests in MongoDB: one document per request, each service's answer a field of it; the
announcement that an export is ready is stored with its event (an outbox), once."""

from datetime import datetime
from typing import Any

from pymongo.asynchronous.collection import AsyncCollection

from koos_contracts import Envelope
from koos_gateway.domain.privacy import PrivacyRequest
from koos_gateway.service_layer.ports import PrivacyRequests
from koos_kit.clock import Clock
from koos_kit.outbox import OutboxRelay, ensure_outbox_index, with_outbox

Document = dict[str, Any]


class MongoPrivacyRequests(PrivacyRequests):
    """Requests by id; answering twice sets the same field to the same value."""

    def __init__(self, collection: AsyncCollection[Document], relay: OutboxRelay, clock: Clock) -> None:
        self._requests = collection
        self._relay = relay
        self._clock = clock

    async def ensure_indexes(self) -> None:
        await self._requests.create_index("subject_id")
        await ensure_outbox_index(self._requests)

    async def add(self, request: PrivacyRequest) -> None:
        await self._requests.update_one({"_id": request.request_id}, {"$setOnInsert": {
            "kind": request.kind, "subject_id": request.subject_id, "organisation_id": request.organisation_id,
            "requested_by": request.requested_by, "requested_at": request.requested_at,
            "registration_id": request.registration_id, "parts": {}, "confirmations": {}}}, upsert=True)

    async def get(self, request_id: str) -> PrivacyRequest | None:
        document = await self._requests.find_one({"_id": request_id})
        if document is None:
            return None
        return PrivacyRequest(request_id=document["_id"], kind=document["kind"], subject_id=document["subject_id"],
                              organisation_id=document["organisation_id"], requested_by=document["requested_by"],
                              requested_at=document["requested_at"], parts=dict(document.get("parts") or {}),
                              confirmations=dict(document.get("confirmations") or {}),
                              registration_id=document.get("registration_id"),
                              announced=bool(document.get("announced")))

    async def answer_export(self, request_id: str, service: str, document: str) -> None:
        await self._requests.update_one({"_id": request_id, "kind": "export"},
                                        {"$set": {f"parts.{service}": document}})

    async def answer_erasure(self, request_id: str, service: str, erased: dict[str, int]) -> None:
        await self._requests.update_one({"_id": request_id, "kind": "erasure"},
                                        {"$set": {f"confirmations.{service}": erased}})

    async def announce(self, request_id: str, envelope: Envelope) -> bool:
        update = with_outbox({"$set": {"announced": True}}, [envelope], self._clock.now())
        result = await self._requests.update_one({"_id": request_id, "announced": {"$ne": True}}, update)
        if not result.modified_count:
            return False
        await self._relay.flush(self._requests, request_id, [envelope])
        return True

    async def forget_exports_of(self, subject_id: str) -> int:
        result = await self._requests.delete_many({"subject_id": subject_id, "kind": "export"})
        return result.deleted_count

    async def forget_exports_before(self, moment: datetime) -> int:
        result = await self._requests.delete_many({"kind": "export", "requested_at": {"$lt": moment}})
        return result.deleted_count
