"""Hand-written fakes shared by unit tests."""

import copy
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, Generic, Protocol, TypeVar
from uuid import uuid4

from koos_contracts import Envelope, Message, parse, wrap


class FixedClock:
    """A clock that moves only when told."""

    def __init__(self, now: datetime | None = None) -> None:
        self.current = now or datetime(2027, 5, 1, 8, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self.current

    def advance(self, **delta: float) -> None:
        self.current += timedelta(**delta)


class RecordingPublisher:
    """Keeps what was published."""

    def __init__(self) -> None:
        self.envelopes: list[Envelope] = []

    async def publish(self, envelopes: Sequence[Envelope]) -> None:
        self.envelopes.extend(envelopes)

    def messages(self, of_type: type[Message] | None = None) -> list[Any]:
        found = [parse(e) for e in self.envelopes]
        return [m for m in found if of_type is None or isinstance(m, of_type)]


def envelope_for(message: Message, organisation_id: str = "org-oslo", **attributes: Any) -> Envelope:
    """An envelope as a partner or the gateway would send it."""
    return wrap(message, source="/tests", organisation_id=organisation_id, **attributes)


def bare_envelope(organisation_id: str = "org-oslo", time: datetime | None = None) -> Envelope:
    """An envelope whose data does not matter to the handler under test."""
    return Envelope(id=str(uuid4()), source="/tests", type="koos.tests.Anything.v1", time=time or datetime.now(UTC),
                    correlationid=str(uuid4()), organisationid=organisation_id, partitionkey="k", data={})


class RecordingReplies(RecordingPublisher):
    """Replies to commands (refusals, "unchanged"): once per command id, kept for the test to read."""

    def __init__(self) -> None:
        super().__init__()
        self.replied: set[str] = set()

    async def reply(self, command: Envelope, envelopes: Sequence[Envelope]) -> bool:
        if command.id in self.replied:
            return False
        self.replied.add(command.id)
        self.envelopes.extend(envelopes)
        return True


class Versioned(Protocol):
    """An aggregate stored one per document, guarded by its version."""

    programme_id: str
    version: int


Aggregate = TypeVar("Aggregate", bound=Versioned)


class FakeVersionedStore(Generic[Aggregate]):
    """Aggregates in a dict, guarded by their version like the Mongo store (`stale` is raised when it moved);
    the events kept as the outbox would keep them."""

    stale: type[Exception] = Exception

    def __init__(self) -> None:
        self.stored: dict[str, Aggregate] = {}
        self.events: list[Envelope] = []

    async def get(self, programme_id: str) -> Aggregate | None:
        found = self.stored.get(programme_id)
        return copy.deepcopy(found) if found else None

    async def save(self, programme: Aggregate, envelopes: Sequence[Envelope]) -> None:
        current = self.stored.get(programme.programme_id)
        if (current.version if current else 0) != programme.version:
            raise self.stale(programme.programme_id)
        programme.version += 1
        self.stored[programme.programme_id] = copy.deepcopy(programme)
        self.events.extend(envelopes)
