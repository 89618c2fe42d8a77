"""Hand-written fakes shared by unit tests."""

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any
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
