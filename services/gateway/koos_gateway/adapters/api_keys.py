"""Partner API keys in MongoDB, found by the SHA-256 fingerprint of their secret."""

from datetime import datetime
from typing import Any

from pymongo import ASCENDING
from pymongo.asynchronous.collection import AsyncCollection

from koos_gateway.domain.api_keys import ApiKey
from koos_gateway.service_layer.ports import ApiKeyStore

Document = dict[str, Any]
_PUBLIC = {"fingerprint": 0}


class MongoApiKeys(ApiKeyStore):
    """Keys by id, with a unique index on the fingerprint; the secret itself is never stored."""

    def __init__(self, collection: AsyncCollection[Document]) -> None:
        self._keys = collection

    async def ensure_indexes(self) -> None:
        """Unique fingerprints, and listing by organisation."""
        await self._keys.create_index("fingerprint", unique=True)
        await self._keys.create_index([("organisation_id", ASCENDING), ("created_at", ASCENDING)])

    async def add(self, key: ApiKey, fingerprint: str) -> None:
        await self._keys.insert_one({"_id": key.key_id, "fingerprint": fingerprint, **_fields(key)})

    async def active_by_fingerprint(self, fingerprint: str) -> ApiKey | None:
        document = await self._keys.find_one({"fingerprint": fingerprint, "revoked_at": None}, _PUBLIC)
        return _key(document) if document else None

    async def get(self, key_id: str) -> ApiKey | None:
        document = await self._keys.find_one({"_id": key_id}, _PUBLIC)
        return _key(document) if document else None

    async def revoke(self, key_id: str, at: datetime) -> None:
        await self._keys.update_one({"_id": key_id, "revoked_at": None}, {"$set": {"revoked_at": at}})

    async def listed(self, organisation_id: str | None) -> list[ApiKey]:
        query = {} if organisation_id is None else {"organisation_id": organisation_id}
        cursor = self._keys.find(query, _PUBLIC).sort("created_at", ASCENDING)
        return [_key(document) async for document in cursor]


def _fields(key: ApiKey) -> Document:
    return {"organisation_id": key.organisation_id, "label": key.label, "created_at": key.created_at,
            "created_by": key.created_by, "revoked_at": key.revoked_at}


def _key(document: Document) -> ApiKey:
    return ApiKey(key_id=document["_id"], organisation_id=document["organisation_id"], label=document["label"],
                  created_at=document["created_at"], created_by=document["created_by"],
                  revoked_at=document.get("revoked_at"))
