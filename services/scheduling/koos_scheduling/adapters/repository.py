"""Editions in MongoDB: one document per edition, holding its sessions and its outbox."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError

from koos_contracts import Envelope
from koos_contracts.scheduling import PublishEdition
from koos_contracts.values import Venue
from koos_kit.clock import Clock
from koos_kit.outbox import OutboxRelay, ensure_outbox_index, outbox_fields, with_outbox
from koos_scheduling.domain.edition import Edition
from koos_scheduling.domain.session import Session
from koos_scheduling.service_layer.ports import EditionRepository, StaleEdition

Document = dict[str, Any]


class MongoEditionRepository(EditionRepository):
    """Stores editions; events raised by a change are stored in the same document update."""

    def __init__(self, collection: AsyncCollection[Document], relay: OutboxRelay, clock: Clock) -> None:
        self._editions = collection
        self._relay = relay
        self._clock = clock

    async def ensure_indexes(self) -> None:
        """Indexes the queries need."""
        await self._editions.create_index("next_end_due", sparse=True)
        await ensure_outbox_index(self._editions)

    async def get(self, edition_id: str) -> Edition | None:
        document = await self._editions.find_one({"_id": edition_id})
        return _edition(document) if document else None

    async def add(self, edition: Edition, envelopes: Sequence[Envelope]) -> bool:
        document = {"_id": edition.edition_id, **_state(edition, version=1),
                    **outbox_fields(envelopes, self._clock.now())}
        try:
            await self._editions.insert_one(document)
        except DuplicateKeyError:
            return False
        await self._relay.flush(self._editions, edition.edition_id, envelopes)
        return True

    async def save(self, edition: Edition, envelopes: Sequence[Envelope]) -> None:
        update: Document = {"$set": _state(edition, version=edition.version + 1)}
        if edition.next_end_due() is None:
            update["$unset"] = {"next_end_due": ""}
            del update["$set"]["next_end_due"]
        result = await self._editions.update_one({"_id": edition.edition_id, "version": edition.version},
                                                 with_outbox(update, envelopes, self._clock.now()))
        if result.matched_count == 0:
            raise StaleEdition(f"edition {edition.edition_id} changed meanwhile")
        await self._relay.flush(self._editions, edition.edition_id, envelopes)

    async def ending_by(self, moment: datetime) -> list[str]:
        cursor = self._editions.find({"next_end_due": {"$lte": moment}}, {"_id": 1}).limit(500)
        return [document["_id"] async for document in cursor]


def _state(edition: Edition, version: int) -> Document:
    return {
        "organisation_id": edition.organisation_id,
        "version": version,
        "plan": edition.plan.model_dump(mode="json"),
        "sessions": [_session_document(s) for s in edition.sessions],
        "next_end_due": edition.next_end_due(),
        "applied": edition.applied,
    }


def _session_document(session: Session) -> Document:
    return {
        "session_id": session.session_id,
        "title": session.title,
        "starts_at": session.starts_at,
        "ends_at": session.ends_at,
        "venue": session.venue.model_dump(),
        "status": session.status,
        "ended": session.ended,
    }


def _edition(document: Document) -> Edition:
    return Edition(
        plan=PublishEdition.model_validate(document["plan"]),
        organisation_id=document["organisation_id"],
        sessions=[_session(s) for s in document["sessions"]],
        version=document["version"],
        applied=list(document.get("applied", [])),
    )


def _session(document: Document) -> Session:
    return Session(
        session_id=document["session_id"],
        title=document["title"],
        starts_at=document["starts_at"],
        ends_at=document["ends_at"],
        venue=Venue.model_validate(document["venue"]),
        status=document["status"],
        ended=document["ended"],
    )
