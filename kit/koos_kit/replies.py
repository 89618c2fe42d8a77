"""Replies to commands that change nothing a service stores (refusals, repeats), kept with their outbox.

Every command gets exactly one outcome event. When the outcome changes the service's state, the event goes
out through that state's outbox. When it does not (a refusal, "unchanged"), it is written here: one document
per command id with its events, so that a command consumed again is answered once, and a crash between the
write and the publication leaves the event to the outbox relay.
"""

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError

from koos_contracts import Envelope
from koos_kit.clock import Clock
from koos_kit.outbox import OutboxRelay, ensure_outbox_index, outbox_fields


class CommandReplies:
    """The replies of one service, by the id of the command they answer."""

    def __init__(self, collection: AsyncCollection[dict[str, Any]], relay: OutboxRelay, clock: Clock) -> None:
        self._replies = collection
        self._relay = relay
        self._clock = clock

    @property
    def collection(self) -> AsyncCollection[dict[str, Any]]:
        """Where the replies are kept (its outbox is drained by the service's relay)."""
        return self._replies

    async def ensure_indexes(self) -> None:
        """The outbox index and one for retention."""
        await ensure_outbox_index(self._replies)
        await self._replies.create_index("answered_at")

    async def answered(self, command_id: str) -> bool:
        """Whether a command has been answered here already."""
        return await self._replies.find_one({"_id": command_id}, {"_id": 1}) is not None

    async def reply(self, command: Envelope, envelopes: Sequence[Envelope]) -> bool:
        """Store the reply to a command and publish it; False if it was answered before (nothing is sent)."""
        now = self._clock.now()
        document = {"_id": command.id, "type": command.type, "organisation_id": command.organisationid,
                    "answered_at": now, "events": [e.type for e in envelopes], **outbox_fields(envelopes, now)}
        try:
            await self._replies.insert_one(document)
        except DuplicateKeyError:
            return False
        await self._relay.flush(self._replies, command.id, envelopes)
        return True

    async def forget_before(self, moment: datetime) -> int:
        """Delete replies older than a moment (TTL indexes do nothing on the Mongo-wire dev server)."""
        result = await self._replies.delete_many({"answered_at": {"$lt": moment}, "_outbox": {"$exists": False}})
        return result.deleted_count


REPLIES_KEPT = timedelta(days=30)
"""How long a service remembers that it answered a command: far longer than any redelivery takes."""
