"""Every event registration published for the suite's editions, read from the start of the topic (headers
only), with the moment it was seen: the suite's view of decisions, promotions, cancellations and outcomes."""

import asyncio
import contextlib
import json
import time
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.errors import KafkaError

from koos_contracts.registration import RegistrationConfirmed, RegistrationUnchanged, RegistrationWaitlisted
from koos_contracts.topics import REGISTRATIONS
from koos_kit.messaging.security import KafkaConnection, aiokafka_options

DECISIONS = frozenset({RegistrationConfirmed.ce_type(), RegistrationWaitlisted.ce_type()})


@dataclass(frozen=True)
class Seen:
    """One event of the registrations topic."""

    partition: int
    offset: int
    at: float
    id: str
    type: str
    subject: str
    causation: str
    edition: str
    status: str = ""
    """A RegistrationUnchanged's status (a repeated cancellation leaves the person cancelled)."""


class RegistrationEvents:
    """Collects the registrations topic's events of some editions while the suite runs."""

    def __init__(self, connection: KafkaConnection, topic: str) -> None:
        self.topic = topic
        self.editions: set[bytes] = set()
        self.events: list[Seen] = []
        self.decided: dict[str, float] = {}
        self._consumer = AIOKafkaConsumer(**aiokafka_options(connection), enable_auto_commit=False,
                                          auto_offset_reset="earliest", request_timeout_ms=30_000)
        self._task: asyncio.Task[None] | None = None

    def follow(self, edition_id: str) -> None:
        self.editions.add(edition_id.encode())

    async def _start(self) -> None:
        await self._consumer.start()
        partitions = [TopicPartition(self.topic, p) for p in range(REGISTRATIONS.partitions)]
        self._consumer.assign(partitions)
        await self._consumer.seek_to_beginning(*partitions)
        self._task = asyncio.create_task(self._watch())

    async def _stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await self._consumer.stop()

    async def _watch(self) -> None:
        while True:
            try:
                batch = await self._consumer.getmany(timeout_ms=200, max_records=5_000)
            except KafkaError:  # the broker is being restarted: the consumer reconnects and goes on
                await asyncio.sleep(0.5)
                continue
            now = time.monotonic()
            for record in (r for records in batch.values() for r in records):
                if record.key in self.editions:
                    self._note(record, now)

    def _note(self, record: object, now: float) -> None:
        headers = {name: (value or b"").decode(errors="replace") for name, value in getattr(record, "headers", ())}
        seen = Seen(getattr(record, "partition", -1), getattr(record, "offset", -1), now, headers.get("ce_id", ""),
                    headers.get("ce_type", ""), headers.get("ce_subject", ""), headers.get("ce_causationid", ""),
                    (getattr(record, "key", b"") or b"").decode(), _unchanged_status(record, headers))
        self.events.append(seen)
        if seen.type in DECISIONS:
            self.decided.setdefault(seen.subject, now)

    async def until_decided(self, registrations: Iterable[str], timeout: float) -> bool:
        """Wait until every one of these registrations has its decision (or the timeout passed)."""
        wanted, deadline = set(registrations), time.monotonic() + timeout
        while not wanted <= self.decided.keys():
            if time.monotonic() > deadline:
                return False
            if self._task is not None and self._task.done():
                self._task.result()
            await asyncio.sleep(0.1)
        return True


@contextlib.asynccontextmanager
async def registration_events(connection: KafkaConnection, topic: str) -> AsyncIterator[RegistrationEvents]:
    """A collector of the registrations topic, from its start, while the block runs."""
    events = RegistrationEvents(connection, topic)
    await events._start()
    try:
        yield events
    finally:
        await events._stop()


def _unchanged_status(record: object, headers: dict[str, str]) -> str:
    """The status a RegistrationUnchanged carries (plain JSON, not personal); empty for other events."""
    if headers.get("ce_type") != RegistrationUnchanged.ce_type():
        return ""
    try:
        return str(json.loads(getattr(record, "value", b"") or b"{}").get("status", ""))
    except (ValueError, AttributeError):
        return ""
