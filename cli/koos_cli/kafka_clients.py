"""The operator's Kafka clients, started and stopped around a piece of work, and the offsets questions they answer."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

from koos_cli.failures import NotFound
from koos_kit.messaging.security import KafkaConnection, aiokafka_options

REQUEST_TIMEOUT_MS = 15_000


@asynccontextmanager
async def admin_client(connection: KafkaConnection) -> AsyncIterator[AIOKafkaAdminClient]:
    client = AIOKafkaAdminClient(**aiokafka_options(connection), request_timeout_ms=REQUEST_TIMEOUT_MS)
    await _started(client.start, client.close)
    try:
        yield client
    finally:
        await client.close()


@asynccontextmanager
async def reader(connection: KafkaConnection, **options: Any) -> AsyncIterator[AIOKafkaConsumer]:
    """A consumer outside any group (nothing is committed), reading committed records unless told otherwise."""
    settings: dict[str, Any] = {"enable_auto_commit": False, "isolation_level": "read_committed",
                                "request_timeout_ms": REQUEST_TIMEOUT_MS, **options}
    consumer = AIOKafkaConsumer(**aiokafka_options(connection), **settings)
    await _started(consumer.start, consumer.stop)
    await asyncio.sleep(0)  # let its background task begin: stopped before, aiokafka's stop raises CancelledError
    try:
        yield consumer
    finally:
        await consumer.stop()


@asynccontextmanager
async def writer(connection: KafkaConnection, **options: Any) -> AsyncIterator[AIOKafkaProducer]:
    """An idempotent producer (transactional when given a transactional_id), acks from all replicas."""
    producer = AIOKafkaProducer(**aiokafka_options(connection), enable_idempotence=True, acks="all",
                                request_timeout_ms=REQUEST_TIMEOUT_MS, **options)
    await _started(producer.start, producer.stop)
    try:
        yield producer
    finally:
        await producer.stop()


async def _started(start: Callable[[], Awaitable[None]], stop: Callable[[], Awaitable[None]]) -> None:
    """Start a client; one that fails to start is stopped at once (else aiokafka complains when it is collected)."""
    try:
        await start()
    except BaseException:
        with contextlib.suppress(Exception):
            await stop()
        raise


async def partitions_of(consumer: AIOKafkaConsumer, topic: str) -> list[TopicPartition]:
    """The topic's partitions; NotFound when the cluster has no such topic (or hides it from this user)."""
    if topic not in await consumer.topics():
        raise NotFound(f"topic {topic} does not exist (or this user may not see it)")
    found = await consumer._client._wait_on_metadata(topic)
    return [TopicPartition(topic, p) for p in sorted(found)]


@dataclass(frozen=True)
class Watermarks:
    """A partition's first and next offsets: end - start offsets are held (records and transaction markers)."""

    start: int
    end: int

    @property
    def held(self) -> int:
        return self.end - self.start


async def watermarks(consumer: AIOKafkaConsumer, partitions: Iterable[TopicPartition]
                     ) -> dict[TopicPartition, Watermarks]:
    wanted = list(partitions)
    if not wanted:
        return {}
    starts = await consumer.beginning_offsets(wanted)
    ends = await consumer.end_offsets(wanted)
    return {p: Watermarks(starts[p], ends[p]) for p in wanted}


async def topic_names(consumer: AIOKafkaConsumer) -> set[str]:
    """Every topic this user may see."""
    return set(await consumer.topics())
