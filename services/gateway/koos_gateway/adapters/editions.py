"""Editions read model in MongoDB: one document per edition with its sessions; each event applies once."""

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from pymongo import DESCENDING
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError

from koos_contracts.scheduling import FeedbackQuestion
from koos_contracts.values import Venue
from koos_gateway.domain.editions import EditionView, SeatCount, SessionView
from koos_gateway.service_layer.ports import EditionReadModel
from koos_kit.idempotency import APPLIED, not_yet_applied, remember
from koos_kit.logging import get_logger

Document = dict[str, Any]
log = get_logger("koos.gateway.editions")


class MongoEditions(EditionReadModel):
    """Editions by id; session changes are guarded by the ids of the events already applied."""

    def __init__(self, collection: AsyncCollection[Document]) -> None:
        self._editions = collection

    async def ensure_indexes(self) -> None:
        """Indexes the queries need."""
        await self._editions.create_index([("organisation_id", 1), ("starts_on", DESCENDING)])

    async def add(self, edition: EditionView, event_id: str) -> None:
        """Store a published edition; its seat count may have come first (another topic), and stays."""
        fields = {key: value for key, value in _document(edition).items() if key != "_id"}
        try:
            await self._editions.update_one({"_id": edition.edition_id, "kind": {"$exists": False}},
                                            {"$set": {**fields, APPLIED: [event_id]}}, upsert=True)
        except DuplicateKeyError:
            log.info("edition known already", edition_id=edition.edition_id)

    async def reschedule(self, edition_id: str, session_id: str, starts_at: datetime, ends_at: datetime,
                         venue: Venue, event_id: str) -> None:
        changes = {"$set": {"sessions.$[s].starts_at": starts_at, "sessions.$[s].ends_at": ends_at,
                            "sessions.$[s].venue": venue.model_dump()},
                   "$inc": {"sessions.$[s].revision": 1}}
        await self._change_session(edition_id, session_id, changes, event_id)

    async def cancel_session(self, edition_id: str, session_id: str, reason: str | None, event_id: str) -> None:
        changes = {"$set": {"sessions.$[s].status": "cancelled", "sessions.$[s].cancel_reason": reason},
                   "$inc": {"sessions.$[s].revision": 1}}
        await self._change_session(edition_id, session_id, changes, event_id)

    async def count_seats(self, edition_id: str, seats: SeatCount) -> None:
        """Keep the newest count; one that comes before the edition itself is kept for it."""
        older = {"_id": edition_id, "$or": [{"seats": None}, {"seats.sequence": {"$lt": seats.sequence}}]}
        count = {"taken": seats.taken, "in_line": seats.in_line, "sequence": seats.sequence}
        try:
            await self._editions.update_one(older, {"$set": {"seats": count}}, upsert=True)
        except DuplicateKeyError:
            return

    async def get(self, edition_id: str) -> EditionView | None:
        document = await self._editions.find_one({"_id": edition_id}, {APPLIED: 0})
        return _edition(document) if document and "kind" in document else None

    async def of_organisation(self, organisation_id: str, limit: int, offset: int) -> list[EditionView]:
        cursor = self._editions.find({"organisation_id": organisation_id}, {APPLIED: 0}).sort(
            [("starts_on", DESCENDING), ("_id", 1)]).skip(offset).limit(limit)
        return [_edition(document) async for document in cursor]

    async def many(self, edition_ids: Sequence[str]) -> list[EditionView]:
        cursor = self._editions.find({"_id": {"$in": list(edition_ids)}}, {APPLIED: 0})
        return [_edition(document) async for document in cursor if "kind" in document]

    async def _change_session(self, edition_id: str, session_id: str, changes: Document, event_id: str) -> None:
        result = await self._editions.update_one(not_yet_applied({"_id": edition_id}, event_id),
                                                 remember(changes, event_id),
                                                 array_filters=[{"s.session_id": session_id}])
        if result.matched_count == 0:
            log.info("session change already applied or edition unknown", edition_id=edition_id)


def _document(edition: EditionView) -> Document:
    return {
        "_id": edition.edition_id, "organisation_id": edition.organisation_id, "kind": edition.kind,
        "title": edition.title, "description": edition.description, "timezone": edition.timezone,
        "starts_on": edition.starts_on.isoformat(), "ends_on": edition.ends_on.isoformat(),
        "capacity": edition.capacity, "registration_opens_at": edition.registration_opens_at,
        "registration_closes_at": edition.registration_closes_at,
        "sessions": [_session_document(s) for s in edition.sessions],
        "reminder_offsets_minutes": list(edition.reminder_offsets_minutes),
        "feedback_questions": [q.model_dump(mode="json") for q in edition.feedback_questions],
    }


def _session_document(session: SessionView) -> Document:
    return {"session_id": session.session_id, "title": session.title, "starts_at": session.starts_at,
            "ends_at": session.ends_at, "venue": session.venue.model_dump(), "status": session.status,
            "revision": session.revision, "cancel_reason": session.cancel_reason}


def _edition(document: Document) -> EditionView:
    return EditionView(
        edition_id=document["_id"], organisation_id=document["organisation_id"], kind=document["kind"],
        title=document["title"], description=document["description"], timezone=document["timezone"],
        starts_on=date.fromisoformat(document["starts_on"]), ends_on=date.fromisoformat(document["ends_on"]),
        capacity=document["capacity"], registration_opens_at=document["registration_opens_at"],
        registration_closes_at=document["registration_closes_at"],
        sessions=tuple(_session(s) for s in document["sessions"]),
        reminder_offsets_minutes=tuple(document["reminder_offsets_minutes"]),
        feedback_questions=tuple(FeedbackQuestion.model_validate(q) for q in document["feedback_questions"]),
        seats=SeatCount(**document["seats"]) if document.get("seats") else None)


def _session(document: Document) -> SessionView:
    return SessionView(session_id=document["session_id"], title=document["title"], starts_at=document["starts_at"],
                       ends_at=document["ends_at"], venue=Venue.model_validate(document["venue"]),
                       status=document["status"], revision=document["revision"],
                       cancel_reason=document["cancel_reason"])
