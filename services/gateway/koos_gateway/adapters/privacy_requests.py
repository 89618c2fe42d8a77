"""Export and erasure requests in MongoDB: one document per request, each service's answer a field of it."""

from datetime import datetime
from typing import Any

from pymongo.asynchronous.collection import AsyncCollection

from koos_gateway.domain.privacy import PrivacyRequest
from koos_gateway.service_layer.ports import PrivacyRequests

Document = dict[str, Any]


class MongoPrivacyRequests(PrivacyRequests):
    """Requests by id; answering twice sets the same field to the same value."""

    def __init__(self, collection: AsyncCollection[Document]) -> None:
        self._requests = collection

    async def ensure_indexes(self) -> None:
        await self._requests.create_index("subject_id")

    async def add(self, request: PrivacyRequest) -> None:
        await self._requests.update_one({"_id": request.request_id}, {"$setOnInsert": {
            "kind": request.kind, "subject_id": request.subject_id, "organisation_id": request.organisation_id,
            "requested_by": request.requested_by, "requested_at": request.requested_at,
            "parts": {}, "confirmations": {}}}, upsert=True)

    async def get(self, request_id: str) -> PrivacyRequest | None:
        document = await self._requests.find_one({"_id": request_id})
        if document is None:
            return None
        return PrivacyRequest(request_id=document["_id"], kind=document["kind"], subject_id=document["subject_id"],
                              organisation_id=document["organisation_id"], requested_by=document["requested_by"],
                              requested_at=document["requested_at"], parts=dict(document.get("parts") or {}),
                              confirmations=dict(document.get("confirmations") or {}))

    async def answer_export(self, request_id: str, service: str, document: str) -> None:
        await self._requests.update_one({"_id": request_id, "kind": "export"},
                                        {"$set": {f"parts.{service}": document}})

    async def answer_erasure(self, request_id: str, service: str, erased: dict[str, int]) -> None:
        await self._requests.update_one({"_id": request_id, "kind": "erasure"},
                                        {"$set": {f"confirmations.{service}": erased}})

    async def forget_exports_of(self, subject_id: str) -> int:
        result = await self._requests.delete_many({"subject_id": subject_id, "kind": "export"})
        return result.deleted_count

    async def forget_exports_before(self, moment: datetime) -> int:
        result = await self._requests.delete_many({"kind": "export", "requested_at": {"$lt": moment}})
        return result.deleted_count
