"""Notifications in MongoDB, found by the due queue (`due`): claimed in batches with a lease, recorded in bulk.

Every notification waiting for a sender has an entry in the due queue at the time it needs one: when it is due, or,
while it is being sent, when its lease runs out. A claim takes the head of the queue, writes the claim's lease
entries first (a sender that dies from then on leaves them behind, and its notifications come back in doubt when
the lease runs out), then takes each notification by `_id` under a guard in one bulk write, marked with the
claim's token, and reads back the ones it won. An outcome is written only while the claim is still the sender's
(`_id`, `status`, `attempts` unchanged), together with its events (the outbox); a group of outcomes is one bulk
write, the events of the group go out in one publish, and the lease entries are dropped. A notification tried
later gets its entry first, so that no crash leaves it without one.
"""

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from pymongo import UpdateOne
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import BulkWriteError

from koos_kit.clock import Clock
from koos_kit.outbox import OutboxRelay, ensure_outbox_index, with_outbox
from koos_notifications.adapters.documents import Document, notification_document, notification_from
from koos_notifications.adapters.due import DueQueue, Entry, due_entry, lease_entry
from koos_notifications.domain.notification import Notification
from koos_notifications.service_layer.attempts import Claim, Outcome
from koos_notifications.service_layer.ports import LookupAnswer, Notifications

DUPLICATE_KEY = 11000
ENDED = {"lease_until": "", "in_doubt": "", "claim": ""}
WAITING = ("pending", "sending")


class MongoNotifications(Notifications):
    """One document per notification, with its delivery log (`deliveries`) and its outbox; and the due queue."""

    def __init__(self, collection: AsyncCollection[Document], due: AsyncCollection[Document], relay: OutboxRelay,
                 clock: Clock) -> None:
        self._notifications = collection
        self._queue = DueQueue(due)
        self._relay = relay
        self._clock = clock

    async def ensure_indexes(self) -> None:
        """Indexes the handlers and the queue's repair need (claims use `_id` alone)."""
        await self._notifications.create_index([("status", 1), ("due_at", 1)])
        await self._notifications.create_index([("edition_id", 1), ("kind", 1), ("status", 1)])
        await ensure_outbox_index(self._notifications)

    async def requeue_waiting(self) -> int:
        """Give every notification waiting for a sender its entry in the due queue (at start-up: notifications
        stored before the queue existed); entries it has already are kept. Return how many were looked at."""
        cursor = self._notifications.find({"status": {"$in": list(WAITING)}},
                                          {"status": 1, "due_at": 1, "lease_until": 1})
        entries = [due_entry(d["_id"], _next_look(d)) async for d in cursor]
        await self._queue.put(entries)
        return len(entries)

    async def add(self, notifications: Sequence[Notification]) -> int:
        if not notifications:
            return 0
        now = self._clock.now()
        documents = [{**notification_document(n), "created_at": now} for n in notifications]
        try:
            result = await self._notifications.insert_many(documents, ordered=False)
            added = len(result.inserted_ids)
        except BulkWriteError as error:
            added = len(documents) - _duplicates_only(error)
        await self._queue.put(due_entry(n.notification_id, n.due_at) for n in notifications)
        return added

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

    async def claim(self, now: datetime, lease_until: datetime, limit: int) -> list[Claim]:
        while head := await self._queue.head(now, limit):
            if claims := await self._take(head, now, lease_until):
                return claims
        return []

    async def _take(self, head: list[Entry], now: datetime, lease_until: datetime) -> list[Claim]:
        """Claim the notifications of the queue's head that still need a sender; its entries are used up either way
        (one another sender took has its own lease entry)."""
        token = uuid.uuid4().hex
        ids = list(dict.fromkeys(entry.notification_id for entry in head))
        leases = {nid: lease_entry(nid, lease_until, token) for nid in ids}
        await self._queue.put(leases.values())
        await self._notifications.bulk_write([op for nid in ids for op in _claims(nid, now, lease_until, token)],
                                             ordered=False)
        won = {d["_id"]: d async for d in self._notifications.find({"_id": {"$in": ids}, "claim": token})}
        await self._queue.drop([e.key for e in head] + [e.key for nid, e in leases.items() if nid not in won])
        return [Claim(notification_from(won[nid]), won[nid]["attempts"], bool(won[nid].get("in_doubt")),
                      lease=leases[nid].key) for nid in ids if nid in won]

    async def record(self, outcomes: Sequence[Outcome]) -> list[bool]:
        if not outcomes:
            return []
        await self._queue.put(due_entry(o.notification_id, o.retry_at) for o in outcomes if o.retry_at)
        token, at = uuid.uuid4().hex, self._clock.now()
        writes = [UpdateOne(_still_claimed(o.claim), with_outbox(_update(o, token), o.envelopes, at))
                  for o in outcomes]
        result = await self._notifications.bulk_write(writes, ordered=False)
        recorded = {o.notification_id for o in outcomes}
        if result.modified_count < len(outcomes):
            cursor = self._notifications.find({"_id": {"$in": sorted(recorded)}, "recorded": token}, {"_id": 1})
            recorded = {document["_id"] async for document in cursor}
        await self._relay.flush_all(self._notifications, [(o.notification_id, o.envelopes) for o in outcomes
                                                          if o.notification_id in recorded and o.envelopes])
        await self._queue.drop([o.claim.lease for o in outcomes if o.claim.lease])
        return [o.notification_id in recorded for o in outcomes]

    async def note_resend(self, claim: Claim, at: datetime, lookup: LookupAnswer) -> None:
        entry = {"attempt": claim.attempt, "at": at, "outcome": "in_doubt_resent", "lookup": lookup}
        await self._notifications.update_one(_still_claimed(claim), {"$push": {"deliveries": entry}})


def _next_look(document: Document) -> datetime:
    """When a waiting notification needs a sender: when due, or when the lease of the one sending it runs out."""
    lease_until: datetime | None = document.get("lease_until") if document["status"] == "sending" else None
    due_at: datetime = document["due_at"]
    return lease_until or due_at


def _claims(notification_id: str, now: datetime, lease_until: datetime, token: str) -> list[UpdateOne]:
    """Take a notification that is due, or one whose sender vanished (its lease ran out: it is in doubt), but not
    both in one claim."""
    taken = {"lease_until": lease_until, "claim": token}
    due = UpdateOne({"_id": notification_id, "status": "pending", "due_at": {"$lte": now}},
                    {"$set": {**taken, "status": "sending"}, "$inc": {"attempts": 1}})
    vanished = UpdateOne({"_id": notification_id, "status": "sending", "lease_until": {"$lte": now},
                          "claim": {"$ne": token}},
                         {"$set": {**taken, "in_doubt": True}, "$inc": {"attempts": 1},
                          "$push": {"deliveries": {"at": now, "outcome": "in_doubt"}}})
    return [due, vanished]


def _update(outcome: Outcome, token: str) -> dict[str, Any]:
    """The write of an outcome; `recorded` tells afterwards which writes of a bulk held."""
    changes: Document = {"status": outcome.status, "recorded": token}
    if outcome.status == "sent":
        changes["sent_at"] = outcome.at
    elif outcome.status == "failed":
        changes["failed_at"] = outcome.at
    elif outcome.retry_at is not None:
        changes["due_at"] = outcome.retry_at
    ended = {name: "" for name in ENDED}
    if outcome.in_doubt:
        changes["in_doubt"] = True
        del ended["in_doubt"]
    update: dict[str, Any] = {"$set": changes, "$unset": ended}
    if outcome.entry is None:
        update["$inc"] = {"attempts": -1}
    else:
        update["$push"] = {"deliveries": dict(outcome.entry)}
    return update


def _still_claimed(claim: Claim) -> Document:
    """The notification, only while this claim holds it."""
    return {"_id": claim.notification.notification_id, "status": "sending", "attempts": claim.attempt}


def _duplicates_only(error: BulkWriteError) -> int:
    """How many inserts were refused as duplicates; any other error is raised again."""
    errors = error.details.get("writeErrors", [])
    if any(e.get("code") != DUPLICATE_KEY for e in errors):
        raise error
    return len(errors)
