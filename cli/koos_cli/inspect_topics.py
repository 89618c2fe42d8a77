"""Looking into Kafka as an operator: topics with their sizes, and records as readable envelopes."""

import asyncio
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition

from koos_cli.kafka_clients import partitions_of, reader, topic_names, watermarks
from koos_cli.output import Silent, Tracker
from koos_contracts import MalformedRecord, from_record
from koos_contracts.kafka_binding import header_text
from koos_kit.messaging.dead_letters import DLQ_HEADER_PREFIX
from koos_kit.messaging.security import KafkaConnection

POLL_MS = 500


@dataclass(frozen=True)
class TopicSize:
    """A topic, its partitions and how many offsets it holds (records, and markers of transactions)."""

    name: str
    partitions: int
    records: int


async def topic_sizes(connection: KafkaConnection, prefix: str = "") -> list[TopicSize]:
    """Every Koos topic of the namespace with partitions and record counts."""
    async with reader(connection) as consumer:
        names = sorted(t for t in await topic_names(consumer) if t.startswith(f"{prefix}koos."))
        return [await _size(consumer, name) for name in names]


async def _size(consumer: AIOKafkaConsumer, topic: str) -> TopicSize:
    marks = await watermarks(consumer, await partitions_of(consumer, topic))
    return TopicSize(topic, len(marks), sum(m.held for m in marks.values()))


async def records(connection: KafkaConnection, topic: str, *, from_beginning: bool, follow: bool,
                  tracker: Tracker | None = None) -> AsyncIterator[Any]:
    """Committed records of a topic, oldest first per partition: up to its end now, or on and on when following."""
    tracker = tracker or Silent()
    async with reader(connection) as consumer:
        partitions = await partitions_of(consumer, topic)
        consumer.assign(partitions)
        marks = await watermarks(consumer, partitions)
        for partition in partitions:
            consumer.seek(partition, marks[partition].start if from_beginning else marks[partition].end)
        tracker.stage(f"reading {topic}", sum(m.held for m in marks.values()) if from_beginning else None)
        ends = {p: m.end for p, m in marks.items()}
        while follow or not await _reached(consumer, ends):
            batch = await consumer.getmany(timeout_ms=POLL_MS)
            for record in sorted((r for rs in batch.values() for r in rs), key=lambda r: (r.timestamp, r.offset)):
                if follow or record.offset < ends[TopicPartition(record.topic, record.partition)]:
                    yield record
            tracker.advance(sum(len(rs) for rs in batch.values()))


async def _reached(consumer: AIOKafkaConsumer, ends: dict[TopicPartition, int]) -> bool:
    for partition, end in ends.items():
        if await consumer.position(partition) < end:
            return False
    return True


PERSONAL_FIELDS = frozenset({"email", "name", "comment"})


def redact(value: Any) -> Any:
    """The same data with personal fields masked."""
    if isinstance(value, dict):
        return {k: "‹redacted›" if k in PERSONAL_FIELDS else redact(v) for k, v in value.items()}
    if isinstance(value, list):
        return [redact(v) for v in value]
    return value


def describe(record: Any) -> dict[str, Any]:
    """A record as an operator reads it: the envelope when it is one, the raw parts otherwise."""
    headers = [(k, v or b"") for k, v in record.headers or ()]
    where = {"topic": record.topic, "partition": record.partition, "offset": record.offset}
    text = header_text(headers)
    dlq = {k: v for k, v in text.items() if k.startswith(DLQ_HEADER_PREFIX)}
    koos = {k: v for k, v in text.items() if k.startswith("koos_") and k not in dlq}
    extra = {**({"dead_letter": dlq} if dlq else {}), **({"koos_headers": koos} if koos else {})}
    try:
        envelope = from_record(record.value, headers).model_dump(mode="json")
        return {**where, "envelope": envelope, **extra}
    except MalformedRecord:
        raw = (record.value or b"").decode(errors="replace")
        return {**where, "raw": raw, "headers": text, **extra}


def pretty(item: dict[str, Any]) -> str:
    """Indented JSON, letters as they are."""
    return json.dumps(item, indent=2, ensure_ascii=False)


def run(coroutine: Any) -> Any:
    """Run a coroutine from a command."""
    return asyncio.run(coroutine)
