"""Offers, lines and registrations in MongoDB; a decided batch is written in a fixed, crash-safe order.

- `offers`: one document per edition with its counts and `version`; a commit first updates it guarded by
  the version it was read at, carrying the batch (`pending`: the registrations and line entries) and its
  events (the outbox) — a single-document write, atomic on every MongoDB. It is the batch's fence: a
  consumer that lost its partition, or a batch consumed again, finds the version moved and decides anew.
- `registrations`: one document per registration, remembering the commands applied to it.
- `line`: pages of 1,000 queue numbers per edition (`<edition>:<page>`), each mapping a queue number to
  the registration that took it, so that the head of a line is read by `_id`, never by a scan.
Then the batch is materialised (bulk writes, idempotent), `pending` is cleared and the events are
published through the outbox. Reading an offer that still carries a batch, or events not yet published,
finishes them first, so that an edition's events keep their order on Kafka (in a takeover both consumers
may publish the same events: with the same ids, which consumers drop).
"""

from collections.abc import Collection
from typing import Any
from uuid import UUID

from pymongo import ReplaceOne, UpdateOne
from pymongo.asynchronous.collection import AsyncCollection

from koos_contracts import Envelope
from koos_contracts.values import Participant
from koos_kit.clock import Clock
from koos_kit.outbox import OUTBOX, OutboxRelay, ensure_outbox_index, with_outbox
from koos_registration.domain.offer import Offer
from koos_registration.domain.registration import Registration
from koos_registration.service_layer.ports import Book, Commit, StaleOffer

Document = dict[str, Any]
PAGE = 1000
COUNTS = ("taken", "in_line", "next_queue_number", "line_head", "version")


class MongoBook(Book):
    """The registration service's store; it keeps the offers it committed in memory (it is their only writer)."""

    def __init__(self, offers: AsyncCollection[Document], registrations: AsyncCollection[Document],
                 line: AsyncCollection[Document], relay: OutboxRelay, clock: Clock) -> None:
        self._offers = offers
        self._registrations = registrations
        self._line = line
        self._relay = relay
        self._clock = clock
        self._committed: dict[str, Offer] = {}

    async def ensure_indexes(self) -> None:
        """The outbox index of offers (everything else is read by `_id`)."""
        await ensure_outbox_index(self._offers)

    async def add_offer(self, offer: Offer) -> None:
        fields = {"organisation_id": offer.organisation_id, "capacity": offer.capacity, "opens_at": offer.opens_at,
                  "closes_at": offer.closes_at, **{name: getattr(offer, name) for name in COUNTS}}
        await self._offers.update_one({"_id": offer.edition_id}, {"$setOnInsert": fields}, upsert=True)

    async def offer(self, edition_id: str) -> Offer | None:
        if edition_id in self._committed:
            return self._committed[edition_id]
        document = await self._offers.find_one({"_id": edition_id})
        if document is None:
            return None
        if document.get("pending"):
            await self._materialise(edition_id, document["version"], document["pending"])
        if document.get(OUTBOX):
            await self._relay.flush(self._offers, edition_id, [Envelope.model_validate(e) for e in document[OUTBOX]])
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
        offer, now = commit.offer, self._clock.now()
        pending = {"registrations": [_document(r) for r in commit.registrations],
                   "joined": {str(number): registration_id for number, registration_id in commit.joined.items()}}
        counts = {name: getattr(offer, name) for name in COUNTS} | {"version": offer.version + 1}
        update = with_outbox({"$set": {**counts, "pending": pending}}, commit.envelopes, now)
        result = await self._offers.update_one({"_id": offer.edition_id, "version": offer.version}, update)
        if result.matched_count == 0:
            self._committed.pop(offer.edition_id, None)
            raise StaleOffer(f"offer {offer.edition_id} moved past version {offer.version}")
        offer.version += 1
        self._committed.pop(offer.edition_id, None)
        await self._materialise(offer.edition_id, offer.version, pending)
        self._committed[offer.edition_id] = offer
        await self._relay.flush(self._offers, offer.edition_id, commit.envelopes)

    async def _materialise(self, edition_id: str, version: int, pending: Document) -> None:
        writes = [ReplaceOne({"_id": d["_id"]}, d, upsert=True) for d in pending["registrations"]]
        if writes:
            await self._registrations.bulk_write(writes, ordered=False)
        joined: dict[str, dict[str, str]] = {}
        for number, registration_id in pending["joined"].items():
            joined.setdefault(f"{edition_id}:{int(number) // PAGE}", {})[f"q.{number}"] = registration_id
        if joined:
            await self._line.bulk_write([UpdateOne({"_id": page}, {"$set": entries}, upsert=True)
                                         for page, entries in joined.items()], ordered=False)
        await self._offers.update_one({"_id": edition_id, "version": version}, {"$unset": {"pending": ""}})


def _offer(document: Document) -> Offer:
    return Offer(edition_id=document["_id"], organisation_id=document["organisation_id"],
                 capacity=document["capacity"], opens_at=document["opens_at"], closes_at=document["closes_at"],
                 **{name: document[name] for name in COUNTS})


def _document(registration: Registration) -> Document:
    return {"_id": str(registration.registration_id), "edition_id": str(registration.edition_id),
            "organisation_id": registration.organisation_id,
            "participant": registration.participant.model_dump(mode="json"), "status": registration.status,
            "queue_number": registration.queue_number, "version": registration.version + 1,
            "applied": registration.applied}


def _registration(document: Document) -> Registration:
    return Registration(
        registration_id=UUID(document["_id"]), edition_id=UUID(document["edition_id"]),
        organisation_id=document["organisation_id"], participant=Participant.model_validate(document["participant"]),
        status=document["status"], queue_number=document["queue_number"], version=document["version"],
        applied=list(document.get("applied", [])))
