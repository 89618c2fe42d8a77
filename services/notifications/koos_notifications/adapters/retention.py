"""Notifications' retention: a mail's address, name and contents go 90 days (by default) after it was sent, failed
or was cancelled; a participant's contact data two years after their edition's last session ended.

A notification stays with its id, kind, standing and delivery log, so that an event read again never mails again;
a participant's copy stays with its standing. Only what identifies the person is blanked.
"""

from datetime import datetime
from typing import Any

from pymongo.asynchronous.collection import AsyncCollection

from koos_kit.retention import Purge, Windows

Document = dict[str, Any]
FORGOTTEN = {"recipient.email": "", "recipient.name": ""}
ENDED_AT = {"sent": "sent_at", "failed": "failed_at", "cancelled": "due_at"}


class NotificationRetention:
    """The purges of the notifications service's store."""

    def __init__(self, notifications: AsyncCollection[Document], participants: AsyncCollection[Document],
                 editions: AsyncCollection[Document]) -> None:
        self._notifications = notifications
        self._participants = participants
        self._editions = editions

    def purges(self) -> list[Purge]:
        return [Purge("mail", "mails", self.anonymise_mails),
                Purge("registrations", "participants", self.anonymise_participants)]

    async def anonymise_mails(self, windows: Windows) -> int:
        """Blank the recipient and contents of every mail that ended before its period; how many."""
        purged = 0
        for status, moment in ENDED_AT.items():
            for past in windows.filters(moment):
                result = await self._notifications.update_many(
                    {**past, "status": status, "recipient.email": {"$ne": ""}},
                    {"$set": {**FORGOTTEN, "details": {}, "anonymised_at": windows.now}})
                purged += result.modified_count
        return purged

    async def anonymise_participants(self, windows: Windows) -> int:
        """Blank the contact data of the participants of editions that ended before their period; how many."""
        editions = [d["_id"] async for d in self._editions.find(
            {"participants_anonymised_at": {"$exists": False}}, {"organisation_id": 1, "sessions.ends_at": 1})
            if windows.is_past(d["organisation_id"], _last_end(d))]
        if not editions:
            return 0
        result = await self._participants.update_many(
            {"edition_id": {"$in": editions}, "recipient.email": {"$ne": ""}},
            {"$set": {**FORGOTTEN, "anonymised_at": windows.now}})
        await self._editions.update_many({"_id": {"$in": editions}},
                                         {"$set": {"participants_anonymised_at": windows.now}})
        return result.modified_count


def _last_end(edition: Document) -> datetime | None:
    return max((s["ends_at"] for s in edition.get("sessions", ())), default=None)
