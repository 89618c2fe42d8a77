"""The due queue: when each notification next needs a sender, kept as `_id`s that sort by time.

An entry's `_id` is the time in milliseconds since 1970, zero-padded, then the notification's id (and, for a
claim's lease, the claim's token): `000001796162510123:<notification id>[:<token>]`. Taking the head of the queue
is a range on `_id` sorted by `_id` with a limit: on MongoDB a walk of the `_id` index, on the Mongo-wire dev
server a walk of its `_id`-ordered data that stops at the range's end (our launcher's `IdNarrowingH2Collection`).
Neither ever reads the notifications themselves, so claiming due mail costs the same however many are stored.

An entry is only a hint: the notification it names is claimed under a guard (pending and due, or sending with its
lease run out), so an entry that outlived its purpose (the notification was sent, cancelled, or tried later) is
simply dropped when it comes up.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import BulkWriteError

from koos_notifications.adapters.documents import Document

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
DIGITS = 15
DUPLICATE_KEY = 11000


def entry_key(at: datetime, notification_id: str, token: str = "") -> str:
    """The `_id` of an entry: sorts by time, then by notification."""
    at = at if at.tzinfo else at.replace(tzinfo=UTC)
    milliseconds = max((at - EPOCH) // timedelta(milliseconds=1), 0)
    return f"{milliseconds:0{DIGITS}d}:{notification_id}" + (f":{token}" if token else "")


def _up_to(now: datetime) -> str:
    """A key above every entry due at or before `now`: the next character after the separator."""
    return entry_key(now, "").removesuffix(":") + ";"


@dataclass(frozen=True)
class Entry:
    """One entry: its key, and the notification it names."""

    key: str
    notification_id: str


class DueQueue:
    """Entries in one collection whose `_id` is the entry's key."""

    def __init__(self, collection: AsyncCollection[Document]) -> None:
        self._entries = collection

    async def put(self, entries: Iterable[Entry]) -> None:
        """Add entries; one added before (the same key) is kept as it is."""
        documents = [{"_id": e.key, "notification_id": e.notification_id} for e in entries]
        if not documents:
            return
        try:
            await self._entries.insert_many(documents, ordered=False)
        except BulkWriteError as error:
            if any(e.get("code") != DUPLICATE_KEY for e in error.details.get("writeErrors", [])):
                raise

    async def head(self, now: datetime, limit: int) -> list[Entry]:
        """The earliest entries due at or before `now`, at most `limit`."""
        cursor = self._entries.find({"_id": {"$lt": _up_to(now)}}).sort("_id", 1).limit(limit)
        return [Entry(document["_id"], document["notification_id"]) async for document in cursor]

    async def drop(self, keys: Sequence[str]) -> None:
        """Remove entries that served their purpose."""
        if keys:
            await self._entries.delete_many({"_id": {"$in": sorted(set(keys))}})


def due_entry(notification_id: str, at: datetime) -> Entry:
    """The entry of a notification due at `at`: the same for the same time, so planning twice adds one entry."""
    return Entry(entry_key(at, notification_id), notification_id)


def lease_entry(notification_id: str, until: datetime, token: str) -> Entry:
    """The entry that brings a claim back when its lease runs out (its sender vanished): one per claim."""
    return Entry(entry_key(until, notification_id, token), notification_id)
