"""Notifications in MongoDB: claimed atomically with a lease; each outcome and its event are one write.

A claim's outcome is written only while the claim is still the sender's (`_id`, `status`, `attempts` unchanged).
"""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from pymongo import ReturnDocument
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import BulkWriteError

from koos_contracts import Envelope
from koos_kit.clock import Clock
from koos_kit.outbox import OutboxRelay, ensure_outbox_index, with_outbox
from koos_notifications.adapters.documents import Document, notification_document, notification_from
from koos_notifications.domain.delivery import Failure
from koos_notifications.domain.notification import Notification
from koos_notifications.service_layer.ports import Claim, LookupAnswer, Notifications

DUPLICATE_KEY = 11000
ENDED = {"lease_until": "", "in_doubt": ""}


class MongoNotifications(Notifications):
    """One document per notification, with its delivery log (`deliveries`) and its outbox."""

    def __init__(self, collection: AsyncCollection[Document], relay: OutboxRelay, clock: Clock) -> None:
        self._notifications = collection
        self._relay = relay
        self._clock = clock

    async def ensure_indexes(self) -> None:
        """Indexes the send loop and the handlers need."""
        await self._notifications.create_index([("status", 1), ("due_at", 1)])
        await self._notifications.create_index([("status", 1), ("lease_until", 1)])
        await self._notifications.create_index([("edition_id", 1), ("kind", 1), ("status", 1)])
        await ensure_outbox_index(self._notifications)

    async def add(self, notifications: Sequence[Notification]) -> int:
        if not notifications:
            return 0
        now = self._clock.now()
        documents = [{**notification_document(n), "created_at": now} for n in notifications]
        try:
            result = await self._notifications.insert_many(documents, ordered=False)
        except BulkWriteError as error:
            return len(documents) - _duplicates_only(error)
        return len(result.inserted_ids)

    async def cancel_reminders(self, edition_id: str, reason: str, *, session_id: str | None = None,
                               registration_id: str | None = None, except_revision: int | None = None) -> int:
        query: Document = {"kind": "session_reminder", "edition_id": edition_id, "status": "pending"}
        if session_id is not None:
            query["details.session_id"] = session_id
        if registration_id is not None:
            query["registration_id"] = registration_id
        if except_revision is not None:
            query["details.revision"] = {"$ne": except_revision}
        entry = {"at": self._clock.now(), "outcome": "cancelled", "reason": reason}
        result = await self._notifications.update_many(query, {"$set": {"status": "cancelled"},
                                                               "$push": {"deliveries": entry}})
        return result.modified_count

    async def claim_in_doubt(self, now: datetime, lease_until: datetime) -> Claim | None:
        before = await self._notifications.find_one_and_update(
            {"status": "sending", "lease_until": {"$lte": now}},
            {"$set": {"lease_until": lease_until, "in_doubt": True}, "$inc": {"attempts": 1},
             "$push": {"deliveries": {"at": now, "outcome": "in_doubt"}}},
            sort=[("lease_until", 1)], return_document=ReturnDocument.BEFORE)
        return _claim(before, in_doubt=True)

    async def claim_due(self, now: datetime, lease_until: datetime) -> Claim | None:
        before = await self._notifications.find_one_and_update(
            {"status": "pending", "due_at": {"$lte": now}},
            {"$set": {"status": "sending", "lease_until": lease_until}, "$inc": {"attempts": 1}},
            sort=[("due_at", 1)], return_document=ReturnDocument.BEFORE)
        return _claim(before, in_doubt=False)

    async def mark_sent(self, claim: Claim, at: datetime, reply_code: int, envelopes: Sequence[Envelope]) -> bool:
        entry = {"attempt": claim.attempt, "at": at, "outcome": "sent", "code": reply_code}
        return await self._finish(claim, {"$set": {"status": "sent", "sent_at": at}, "$push": {"deliveries": entry}},
                                  envelopes)

    async def mark_found_delivered(self, claim: Claim, at: datetime, envelopes: Sequence[Envelope]) -> bool:
        entry = {"attempt": claim.attempt, "at": at, "outcome": "in_doubt_found_delivered"}
        return await self._finish(claim, {"$set": {"status": "sent", "sent_at": at}, "$push": {"deliveries": entry}},
                                  envelopes)

    async def note_resend(self, claim: Claim, at: datetime, lookup: LookupAnswer) -> None:
        entry = {"attempt": claim.attempt, "at": at, "outcome": "in_doubt_resent", "lookup": lookup}
        await self._notifications.update_one(_still_claimed(claim), {"$push": {"deliveries": entry}})

    async def retry_later(self, claim: Claim, at: datetime, next_attempt_at: datetime, failure: Failure) -> None:
        entry = {**_failure_entry(claim, at, failure), "outcome": "deferred", "next_attempt_at": next_attempt_at}
        changes = {"status": "pending", "due_at": next_attempt_at, **({"in_doubt": True} if failure.uncertain else {})}
        await self._finish(claim, {"$set": changes, "$push": {"deliveries": entry}}, [], ended=False)

    async def mark_failed(self, claim: Claim, at: datetime, failure: Failure, envelopes: Sequence[Envelope]) -> None:
        entry = {**_failure_entry(claim, at, failure), "outcome": "failed"}
        await self._finish(claim, {"$set": {"status": "failed", "failed_at": at}, "$push": {"deliveries": entry}},
                           envelopes)

    async def skip(self, claim: Claim, at: datetime, reason: str) -> None:
        entry = {"attempt": claim.attempt, "at": at, "outcome": "skipped", "reason": reason}
        await self._finish(claim, {"$set": {"status": "skipped"}, "$push": {"deliveries": entry}}, [])

    async def _finish(self, claim: Claim, update: dict[str, Any], envelopes: Sequence[Envelope], *,
                      ended: bool = True) -> bool:
        """End a claim, if it is still ours, with the events its outcome raised; an ended one is no longer in doubt."""
        update = {**update, "$unset": ENDED if ended else {"lease_until": ""}}
        result = await self._notifications.update_one(_still_claimed(claim),
                                                      with_outbox(update, envelopes, self._clock.now()))
        if result.modified_count == 0:
            return False
        await self._relay.flush(self._notifications, claim.notification.notification_id, envelopes)
        return True


def _still_claimed(claim: Claim) -> Document:
    """The notification, only while this claim holds it."""
    return {"_id": claim.notification.notification_id, "status": "sending", "attempts": claim.attempt}


def _claim(before: Document | None, *, in_doubt: bool) -> Claim | None:
    if before is None:
        return None
    return Claim(notification=notification_from(before), attempt=before["attempts"] + 1,
                 in_doubt=in_doubt or bool(before.get("in_doubt")))


def _failure_entry(claim: Claim, at: datetime, failure: Failure) -> Document:
    entry = {"attempt": claim.attempt, "at": at, "code": failure.code, "error": failure.error_class}
    return {**entry, "uncertain": True} if failure.uncertain else entry


def _duplicates_only(error: BulkWriteError) -> int:
    """How many inserts were refused as duplicates; any other error is raised again."""
    errors = error.details.get("writeErrors", [])
    if any(e.get("code") != DUPLICATE_KEY for e in errors):
        raise error
    return len(errors)
