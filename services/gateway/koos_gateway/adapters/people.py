"""The person directory in MongoDB: a keyed hash of organisation and address -> subject id.

The gateway is where personal data enters Koos (public sign-up, the staff API, the partner bridge), so it
mints each person's subject id and data key. A person seen first gets the pseudonym every service already
derives (`person_id_for`); a person whose subject was erased (its tombstone is on the keys topic, kept for
good) gets a random one, so that signing up again makes a new person with new registrations. The entry's
`_id` is an HMAC of organisation and address (with a key derived from the key-encryption key), so the
directory does not hold the address itself. Exactly one replica issues a subject's key: the one that
marks the entry `key_issued`; the others wait until their ring has read it.
"""

import hashlib
import hmac
from typing import Any
from uuid import uuid4

from pymongo import ReturnDocument
from pymongo.asynchronous.collection import AsyncCollection

from koos_contracts.identity import normalise_email, person_id_for
from koos_contracts.topics import PRIVACY_KEYS
from koos_gateway.service_layer.ports import PersonDirectory
from koos_kit.messaging.publisher import KafkaPublisher
from koos_kit.privacy.sealing import KeyIssuer, PersonalData

Document = dict[str, Any]


class MongoPeople(PersonDirectory):
    """Subject ids by a keyed hash of organisation and address, with their keys issued once."""

    def __init__(self, collection: AsyncCollection[Document], secret: str, personal: PersonalData,
                 issuer: KeyIssuer, publisher: KafkaPublisher) -> None:
        self._people = collection
        self._secret = hashlib.sha256(b"koos-person-directory:" + secret.encode()).digest()
        self._personal = personal
        self._issuer = issuer
        self._publisher = publisher
        self._cache: dict[str, str] = {}

    async def ensure_indexes(self) -> None:
        await self._people.create_index("subject_id")

    async def subject_for(self, organisation_id: str, email: str) -> str:
        entry = self._entry(organisation_id, email)
        subject = self._cache.get(entry)
        if subject is None:
            subject = await self._subject(entry, organisation_id, email)
            self._cache[entry] = subject
        return subject

    async def known_subject(self, organisation_id: str, email: str) -> str | None:
        entry = self._entry(organisation_id, email)
        if entry in self._cache:
            return self._cache[entry]
        document = await self._people.find_one({"_id": entry})
        if document is not None:
            return str(document["subject_id"])
        derived = person_id_for(organisation_id, email)
        return None if derived in self._personal.ring.erased else derived

    async def forget(self, subject_id: str) -> None:
        await self._people.delete_many({"subject_id": subject_id})
        self._cache = {entry: s for entry, s in self._cache.items() if s != subject_id}
        await self._publisher.tombstone(PRIVACY_KEYS.name, subject_id)
        self._issuer.erased(subject_id)

    def _entry(self, organisation_id: str, email: str) -> str:
        message = f"{organisation_id}\n{normalise_email(email)}".encode()
        return hmac.new(self._secret, message, hashlib.sha256).hexdigest()

    async def _subject(self, entry: str, organisation_id: str, email: str) -> str:
        ring = self._personal.ring
        candidate = person_id_for(organisation_id, email)
        if candidate in ring.erased:
            candidate = str(uuid4())
        stored = await self._people.find_one_and_update(
            {"_id": entry}, {"$setOnInsert": {"subject_id": candidate, "organisation_id": organisation_id}},
            upsert=True, return_document=ReturnDocument.BEFORE)
        subject = str(stored["subject_id"]) if stored else candidate
        if subject not in ring.keys:
            await self._key_for(entry, subject, organisation_id)
        return subject

    async def _key_for(self, entry: str, subject: str, organisation_id: str) -> None:
        claimed = await self._people.find_one_and_update({"_id": entry, "key_issued": {"$exists": False}},
                                                         {"$set": {"key_issued": True}},
                                                         return_document=ReturnDocument.BEFORE)
        if claimed is not None:
            try:
                await self._publisher.publish([self._issuer.issued(subject, organisation_id)])
            except Exception:
                await self._people.update_one({"_id": entry}, {"$unset": {"key_issued": ""}})
                raise
        elif self._personal.feed is not None:
            await self._personal.feed.catch_up()
