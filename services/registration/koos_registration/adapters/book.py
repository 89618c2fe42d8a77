"""Offers, lines and registrations in MongoDB; a decided batch is written in a fixed, crash-safe order.

- `offers`: one document per edition with its counts and `version`. A commit first updates it guarded by
  the version it was read at, carrying the whole batch: `pending` (the registrations and line entries it
  changed) and `events` (what it raised) — one single-document write, atomic on every MongoDB. It is the
  batch's fence: a consumer that lost its partition, or a batch consumed again, finds the version moved
  and decides anew; and it is the batch's outbox.
- `registrations`: one document per registration, remembering the commands applied to it.
- `line`: pages of 1,000 queue numbers per edition (`<edition>:<page>`), each mapping a queue number to
  the registration that took it, so that the head of a line is read by `_id`, never by a scan.

Then the batch is materialised (bulk writes, idempotent) and its events are published in one send. The
next commit replaces `pending` and `events`; nothing is cleared in between (three writes per batch). An
offer read from the store (after a restart, a takeover or a failure) first materialises its last batch
again and publishes its events again, so an edition's events keep their order on Kafka: a crash repeats
at most the last batch's events, with the same ids, which consumers drop.
"""

from collections.abc import Collection, Sequence
from typing import Any
from uuid import UUID

from pymongo import InsertOne, ReplaceOne, UpdateOne
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import BulkWriteError

from koos_contracts import Envelope
from koos_contracts.registration import Consent
from koos_contracts.values import Participant
from koos_kit.ports import Publisher
from koos_registration.domain.offer import Offer
from koos_registration.domain.registration import Registration
from koos_registration.service_layer.ports import Book, Commit, StaleOffer

Document = dict[str, Any]
PAGE = 1000
COUNTS = ("taken", "in_line", "next_queue_number", "line_head", "version")
DUPLICATE_KEY = 11000


class MongoBook(Book):
    """The registration service's store; it keeps the offers it committed in memory (it is their only writer)."""

    def __init__(self, offers: AsyncCollection[Document], registrations: AsyncCollection[Document],
                 line: AsyncCollection[Document], publisher: Publisher) -> None:
        self._offers = offers
        self._registrations = registrations
        self._line = line
        self._publisher = publisher
        self._committed: dict[str, Offer] = {}

    async def ensure_indexes(self) -> None:
        """Nothing to index: everything is read by `_id`."""

    async def add_offer(self, offer: Offer, envelopes: Sequence[Envelope]) -> None:
        fields = {"organisation_id": offer.organisation_id, "capacity": offer.capacity, "opens_at": offer.opens_at,
                  "closes_at": offer.closes_at, "ends_at": offer.ends_at,
                  **{name: getattr(offer, name) for name in COUNTS},
                  "pending": {}, "events": [e.model_dump(mode="json") for e in envelopes], "published": False}
        await self._offers.update_one({"_id": offer.edition_id}, {"$setOnInsert": fields}, upsert=True)
        await self.offer(offer.edition_id)

    async def offer(self, edition_id: str) -> Offer | None:
        if edition_id in self._committed:
            return self._committed[edition_id]
        document = await self._offers.find_one({"_id": edition_id})
        if document is None:
            return None
        if document.get("pending"):
            await self._materialise(edition_id, document["pending"])
        if document.get("events") and not document.get("published"):
            await self._publisher.publish([Envelope.model_validate(e) for e in document["events"]])
            await self._offers.update_one({"_id": edition_id, "version": document["version"]},
                                          {"$set": {"published": True}})
        return _offer(document)

    async def registrations(self, registration_ids: Collection[str]) -> dict[str, Registration]:
        if not registration_ids:
            return {}
        cursor = self._registrations.find({"_id": {"$in": list(registration_ids)}})
        return {document["_id"]: _registration(document) async for document in cursor}

    async def line(self, offer: Offer, count: int) -> list[tuple[int, str]]:
        first, last = offer.line_head, min(offer.line_head + count, offer.next_queue_number) - 1
        pages = [f"{offer.edition_id}:{page}" for page in range(first // PAGE, last // PAGE + 1)]
        entries: list[tuple[int, str]] = []
        async for page in self._line.find({"_id": {"$in": pages}}):
            entries += [(int(number), registration_id) for number, registration_id in page["q"].items()
                        if first <= int(number) <= last]
        return sorted(entries)

    async def commit(self, commit: Commit) -> None:
        offer = commit.offer
        self._committed.pop(offer.edition_id, None)
        pending = {"registrations": [_document(r) for r in commit.registrations],
                   "joined": {str(number): registration_id for number, registration_id in commit.joined.items()}}
        fields = {**{name: getattr(offer, name) for name in COUNTS}, "version": offer.version + 1,
                  "pending": pending, "events": [e.model_dump(mode="json") for e in commit.envelopes],
                  "published": False}
        result = await self._offers.update_one({"_id": offer.edition_id, "version": offer.version}, {"$set": fields})
        if result.matched_count == 0:
            raise StaleOffer(f"offer {offer.edition_id} moved past version {offer.version}")
        offer.version += 1
        await self._materialise(offer.edition_id, pending)
        await self._publisher.publish(commit.envelopes)
        self._committed[offer.edition_id] = offer

    async def _materialise(self, edition_id: str, pending: Document) -> None:
        await _write_registrations(self._registrations, pending["registrations"])
        pages: dict[str, dict[str, str]] = {}
        for number, registration_id in pending["joined"].items():
            pages.setdefault(f"{edition_id}:{int(number) // PAGE}", {})[f"q.{number}"] = registration_id
        if pages:
            await self._line.bulk_write([UpdateOne({"_id": page}, {"$set": entries}, upsert=True)
                                         for page, entries in pages.items()], ordered=False)


async def _write_registrations(collection: AsyncCollection[Document], documents: list[Document]) -> None:
    """New registrations are inserted (the cheap path), changed ones replaced; a redo replaces what exists."""
    if not documents:
        return
    writes = [InsertOne(d) if d["version"] == 1 else ReplaceOne({"_id": d["_id"]}, d, upsert=True)
              for d in documents]
    try:
        await collection.bulk_write(writes, ordered=False)
    except BulkWriteError as error:
        failures = error.details.get("writeErrors", [])
        if any(e.get("code") != DUPLICATE_KEY for e in failures):
            raise
        again = [documents[e["index"]] for e in failures]
        await collection.bulk_write([ReplaceOne({"_id": d["_id"]}, d, upsert=True) for d in again], ordered=False)


def _offer(document: Document) -> Offer:
    return Offer(edition_id=document["_id"], organisation_id=document["organisation_id"],
                 capacity=document["capacity"], opens_at=document["opens_at"], closes_at=document["closes_at"],
                 ends_at=document.get("ends_at"), **{name: document[name] for name in COUNTS})


def _document(registration: Registration) -> Document:
    return {"_id": str(registration.registration_id), "edition_id": str(registration.edition_id),
            "organisation_id": registration.organisation_id,
            "participant": registration.participant.model_dump(mode="json"), "status": registration.status,
            "queue_number": registration.queue_number, "version": registration.version + 1,
            "applied": registration.applied,
            "consent": registration.consent.model_dump(mode="json") if registration.consent else None}


def _registration(document: Document) -> Registration:
    """A stored registration (its participant was validated before it was stored)."""
    return Registration(
        registration_id=UUID(document["_id"]), edition_id=UUID(document["edition_id"]),
        organisation_id=document["organisation_id"], participant=Participant.model_construct(**document["participant"]),
        status=document["status"], queue_number=document["queue_number"], version=document["version"],
        applied=list(document.get("applied", [])),
        consent=Consent.model_validate(document["consent"]) if document.get("consent") else None)
