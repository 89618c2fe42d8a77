"""The person directory in MongoDB: a keyed hash of organisation and address -> subject id.

The gateway is where personal data enters Koos (public sign-up, the staff API, the partner bridge), so it
mints each person's subject id and data key. A person seen first gets the pseudonym every service already
derives (`person_id_for`); a person whose subject was erased (its tombstone is on the keys topic, kept for
good) gets a random one, so that signing up again makes a new person with new registrations. The entry's
`_id` is an HMAC of organisation and address (with a key derived from the key-encryption key), so the
directory does not hold the address itself. Exactly one replica issues a subject's key: the one that
marks the entry `key_issued` (on insert, or later if an issue failed); the others wait until their ring has read
it. Concurrent sign-ups share their round trips (a group commit): one upsert of the group's entries, one read
of those that existed, one send of the new keys.
"""

import hashlib
import hmac
from dataclasses import dataclass
from typing import Any
from uuid import uuid4

from aiokafka.errors import KafkaError
from pymongo import ReturnDocument, UpdateOne
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import BulkWriteError

from koos_contracts.identity import normalise_email, person_id_for
from koos_contracts.topics import PRIVACY_KEYS
from koos_gateway.domain.errors import Unavailable
from koos_gateway.service_layer.ports import PersonDirectory
from koos_kit.group_commit import GroupCommit
from koos_kit.messaging.publisher import KafkaPublisher
from koos_kit.privacy.sealing import KeyIssuer, PersonalData

Document = dict[str, Any]
DUPLICATE_KEY = 11000


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
        self._asked: GroupCommit[_Asked, str] = GroupCommit(self._subjects)

    async def ensure_indexes(self) -> None:
        await self._people.create_index("subject_id")

    async def subject_for(self, organisation_id: str, email: str) -> str:
        entry = self._entry(organisation_id, email)
        subject = self._cache.get(entry)
        if subject is None:
            subject = await self._asked.submit(_Asked(entry, organisation_id, email))
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

    async def _subjects(self, asked: list["_Asked"]) -> list[str]:
        """The subjects of a group of people in two round trips: one upsert each (a new entry is marked
        `key_issued` by the replica that made it, which publishes its key), then a read of those that existed."""
        ring = self._personal.ring
        first: dict[str, _Asked] = {}
        for one in asked:
            first.setdefault(one.entry, one)
        candidates = {e: _candidate(a, ring.erased) for e, a in first.items()}
        entries = list(first)
        made = await self._insert_missing(entries, candidates, first)
        existing = [e for e in entries if e not in made]
        stored = {d["_id"]: str(d["subject_id"]) async for d in self._people.find({"_id": {"$in": existing}})} \
            if existing else {}
        subjects = {e: candidates[e] for e in made} | stored
        await self._issue([(e, subjects[e], first[e].organisation_id) for e in entries if e in made])
        for entry in existing:
            if subjects[entry] not in ring.keys:
                await self._key_for(entry, subjects[entry], first[entry].organisation_id)
        return [subjects[a.entry] for a in asked]

    async def _insert_missing(self, entries: list[str], candidates: dict[str, str],
                              first: dict[str, "_Asked"]) -> set[str]:
        """Insert the entries not stored yet; the ones this call made (a concurrent replica's is a duplicate)."""
        upserts = [UpdateOne({"_id": e}, {"$setOnInsert": {"subject_id": candidates[e], "key_issued": True,
                                                           "organisation_id": first[e].organisation_id}},
                             upsert=True) for e in entries]
        try:
            upserted = (await self._people.bulk_write(upserts, ordered=False)).upserted_ids or {}
        except BulkWriteError as error:
            if any(e.get("code") != DUPLICATE_KEY for e in error.details.get("writeErrors", [])):
                raise
            upserted = {u["index"]: u["_id"] for u in error.details.get("upserted", [])}
        return {entries[i] for i in upserted}

    async def _issue(self, made: list[tuple[str, str, str]]) -> None:
        """Publish the keys of the subjects just made, in one send; on failure, no key stays half issued."""
        if not made:
            return
        try:
            await self._publisher.publish([self._issuer.issued(subject, org) for _, subject, org in made])
        except Exception as error:
            for _, subject, _ in made:
                self._issuer.withdrawn(subject)
            await self._people.update_many({"_id": {"$in": [e for e, _, _ in made]}},
                                           {"$unset": {"key_issued": ""}})
            raise _unavailable(error) from error

    async def _key_for(self, entry: str, subject: str, organisation_id: str) -> None:
        claimed = await self._people.find_one_and_update({"_id": entry, "key_issued": {"$exists": False}},
                                                         {"$set": {"key_issued": True}},
                                                         return_document=ReturnDocument.BEFORE)
        if claimed is not None:
            try:
                await self._publisher.publish([self._issuer.issued(subject, organisation_id)])
            except Exception as error:
                self._issuer.withdrawn(subject)
                await self._people.update_one({"_id": entry}, {"$unset": {"key_issued": ""}})
                raise _unavailable(error) from error
        elif self._personal.feed is not None:
            await self._personal.feed.catch_up()


@dataclass(frozen=True)
class _Asked:
    """A subject asked for: the directory entry of an organisation's address."""

    entry: str
    organisation_id: str
    email: str


def _unavailable(error: Exception) -> Exception:
    """A key Kafka did not take is the message bus being unavailable (503, try again), as for a command."""
    if isinstance(error, KafkaError | TimeoutError):
        return Unavailable("the message bus did not accept the request; try again shortly", code="bus_unavailable")
    return error


def _candidate(asked: _Asked, erased: set[str]) -> str:
    """The pseudonym every service derives, or a random one when that subject was erased."""
    derived = person_id_for(asked.organisation_id, asked.email)
    return str(uuid4()) if derived in erased else derived
