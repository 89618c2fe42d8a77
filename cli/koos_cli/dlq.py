"""Dead letters as an operator selects them: what each is, why it was set aside, where it came from.

A dead letter is its original record (key, value, CloudEvents headers) plus `koos_dlq_*` headers: the reason, the
error type, the source topic, partition and offset, the consumer group that gave up, and when.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from aiokafka import TopicPartition

from koos_cli.inspect_topics import describe, redact
from koos_cli.kafka_clients import partitions_of, reader, watermarks
from koos_cli.output import Silent, Tracker
from koos_kit.messaging.dead_letters import DLQ_HEADER_PREFIX
from koos_kit.messaging.records import Headers
from koos_kit.messaging.retry import origin_topic
from koos_kit.messaging.security import KafkaConnection

DLQ_SUFFIX = ".dlq"
POLL_MS = 500


def dlq_topic(topic: str) -> str:
    """The `.dlq` twin of a topic (a name that is one already stays)."""
    return topic if topic.endswith(DLQ_SUFFIX) else topic + DLQ_SUFFIX


@dataclass(frozen=True)
class DeadLetter:
    """One record of a `.dlq` topic."""

    topic: str
    partition: int
    offset: int
    timestamp_ms: int
    key: bytes | None
    value: bytes | None
    headers: Headers

    @classmethod
    def of(cls, record: Any) -> DeadLetter:
        headers = [(name, value or b"") for name, value in record.headers or ()]
        return cls(record.topic, record.partition, record.offset, record.timestamp, record.key, record.value,
                   headers)

    def header(self, name: str) -> str:
        for key, value in self.headers:
            if key == name:
                return value.decode(errors="replace")
        return ""

    def dlq(self, name: str) -> str:
        """A `koos_dlq_<name>` header's text."""
        return self.header(DLQ_HEADER_PREFIX + name)

    @property
    def type(self) -> str:
        """The CloudEvents type it claims (empty for records that are not CloudEvents)."""
        return self.header("ce_type")

    @property
    def origin(self) -> str:
        """The topic it belongs to: its source (a `.retry` twin counts as its topic), else the DLQ's topic."""
        source = self.dlq("source_topic")
        return origin_topic(source) if source else self.topic.removesuffix(DLQ_SUFFIX)

    @property
    def marker(self) -> str:
        """What a record redriven from it carries: the dead letter's id (the same for every copy of one source
        record the DLQ may hold), else its address."""
        return self.dlq("id") or f"{self.topic}/{self.partition}/{self.offset}"

    def summary(self) -> dict[str, Any]:
        return {"partition": self.partition, "offset": self.offset, "type": self.type,
                "error_type": self.dlq("error_type"), "reason": self.dlq("reason"),
                "source": _source(self), "consumer": self.dlq("consumer"), "failed_at": self.dlq("failed_at"),
                "dead_letter_id": self.dlq("id"), "origin": self.origin,
                "written_at": datetime.fromtimestamp(self.timestamp_ms / 1000, UTC).isoformat()}

    def full(self, show_personal_data: bool = False) -> dict[str, Any]:
        """The summary plus the record as `koos tail` shows it (personal data masked unless asked)."""
        shown = describe(self)
        return {**self.summary(), "record": shown if show_personal_data else redact(shown)}


def _source(letter: DeadLetter) -> str:
    topic = letter.dlq("source_topic")
    return f"{topic}/{letter.dlq('source_partition')}/{letter.dlq('source_offset')}" if topic else ""


@dataclass(frozen=True)
class Selection:
    """Which dead letters a command acts on; every given condition must hold."""

    from_offset: int | None = None
    to_offset: int | None = None
    """Inclusive."""
    partition: int | None = None
    types: tuple[str, ...] = ()
    """CloudEvents types, exact or as shell patterns (`koos.registration.*`)."""
    error_types: tuple[str, ...] = ()
    reason: str | None = None
    """A piece of the reason, any case."""

    def matches(self, letter: DeadLetter) -> bool:
        return (self.in_range(letter.partition, letter.offset)
                and (not self.types or any(fnmatch.fnmatchcase(letter.type, t) for t in self.types))
                and (not self.error_types or letter.dlq("error_type") in self.error_types)
                and (self.reason is None or self.reason.casefold() in letter.dlq("reason").casefold()))

    def in_range(self, partition: int, offset: int) -> bool:
        return ((self.partition is None or partition == self.partition)
                and (self.from_offset is None or offset >= self.from_offset)
                and (self.to_offset is None or offset <= self.to_offset))

    def first_offset(self, start: int) -> int:
        return max(start, self.from_offset) if self.from_offset is not None else start

    def last_end(self, end: int) -> int:
        return min(end, self.to_offset + 1) if self.to_offset is not None else end


async def read_dead_letters(connection: KafkaConnection, topic: str, selection: Selection | None = None,
                            tracker: Tracker | None = None) -> list[DeadLetter]:
    """The committed dead letters of a `.dlq` topic that the selection takes, in offset order per partition."""
    selection = selection or Selection()
    tracker = tracker or Silent()
    async with reader(connection) as consumer:
        partitions = [p for p in await partitions_of(consumer, topic)
                      if selection.partition is None or p.partition == selection.partition]
        marks = await watermarks(consumer, partitions)
        ranges = {p: (selection.first_offset(m.start), selection.last_end(m.end)) for p, m in marks.items()}
        wanted = {p: r for p, r in ranges.items() if r[0] < r[1]}
        tracker.stage(f"reading {topic}", sum(end - start for start, end in wanted.values()))
        if not wanted:
            return []
        consumer.assign(list(wanted))
        for partition, (start, _) in wanted.items():
            consumer.seek(partition, start)
        found: list[DeadLetter] = []
        while wanted:
            batch = await consumer.getmany(*wanted, timeout_ms=POLL_MS)
            for partition, records in batch.items():
                found += [DeadLetter.of(r) for r in records if r.offset < wanted[partition][1]]
                tracker.advance(len(records))
            wanted = await _still_reading(consumer, wanted)
    return [letter for letter in sorted(found, key=lambda d: (d.partition, d.offset)) if selection.matches(letter)]


async def _still_reading(consumer: Any, wanted: dict[TopicPartition, tuple[int, int]]
                         ) -> dict[TopicPartition, tuple[int, int]]:
    going = {}
    for partition, bounds in wanted.items():
        if await consumer.position(partition) < bounds[1]:
            going[partition] = bounds
        else:
            consumer.pause(partition)
    return going
