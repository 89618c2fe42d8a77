"""Looking into Kafka as an operator: topics with their sizes, and records as readable envelopes."""

import asyncio
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

from koos_contracts import MalformedRecord, from_record
from koos_contracts.kafka_binding import header_text
from koos_kit.messaging.security import KafkaConnection, aiokafka_options


@dataclass(frozen=True)
class TopicSize:
    """A topic, its partitions and how many records it holds."""

    name: str
    partitions: int
    records: int


async def topic_sizes(connection: KafkaConnection) -> list[TopicSize]:
    """Every Koos topic with partitions and record counts."""
    admin = AIOKafkaAdminClient(**aiokafka_options(connection))
    await admin.start()
    consumer = AIOKafkaConsumer(**aiokafka_options(connection))
    await consumer.start()
    try:
        names = sorted(t for t in await admin.list_topics() if t.startswith("koos."))
        return [await _size(consumer, name) for name in names]
    finally:
        await consumer.stop()
        await admin.close()


async def _size(consumer: AIOKafkaConsumer, topic: str) -> TopicSize:
    partitions = [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic) or [])]
    if not partitions:
        await consumer._client.force_metadata_update()
        partitions = [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic) or [])]
    ends = await consumer.end_offsets(partitions)
    starts = await consumer.beginning_offsets(partitions)
    return TopicSize(topic, len(partitions), sum(ends[p] - starts[p] for p in partitions))


async def records(connection: KafkaConnection, topic: str, *, from_beginning: bool, follow: bool,
                  idle_seconds: float = 2.0) -> AsyncIterator[dict[str, Any]]:
    """Records of a topic as dicts (envelope or raw), oldest first; stops when idle unless following."""
    consumer = AIOKafkaConsumer(topic, **aiokafka_options(connection), enable_auto_commit=False,
                                auto_offset_reset="earliest" if from_beginning else "latest")
    await consumer.start()
    try:
        while True:
            batch = await consumer.getmany(timeout_ms=int(idle_seconds * 1000))
            if not batch and not follow:
                return
            for record in sorted((r for rs in batch.values() for r in rs), key=lambda r: r.timestamp):
                yield describe(record)
    finally:
        await consumer.stop()


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
    where = {"partition": record.partition, "offset": record.offset}
    dlq = {k: v for k, v in header_text(headers).items() if k.startswith("koos_dlq_")}
    try:
        envelope = from_record(record.value, headers).model_dump(mode="json")
        return {**where, "envelope": envelope, **({"dead_letter": dlq} if dlq else {})}
    except MalformedRecord:
        raw = (record.value or b"").decode(errors="replace")
        return {**where, "raw": raw, "headers": header_text(headers), **({"dead_letter": dlq} if dlq else {})}


def pretty(item: dict[str, Any]) -> str:
    """Indented JSON, letters as they are."""
    return json.dumps(item, indent=2, ensure_ascii=False)


def run(coroutine: Any) -> Any:
    """Run a coroutine from a command."""
    return asyncio.run(coroutine)
