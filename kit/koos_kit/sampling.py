"""Samples the gauges an operator alerts on, every few seconds and cheaply: consumer lag from the consumers'
own positions (no request), DLQ depth from two offset lookups per `.dlq` twin, the outbox backlog from one
aggregation per collection; a service adds its own samples (notifications: mail in doubt, overdue reminders).
"""

import asyncio
import time
from collections.abc import Awaitable, Callable, Iterable, Sequence
from datetime import datetime
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition
from faststream.kafka import KafkaBroker
from pymongo.asynchronous.collection import AsyncCollection

from koos_kit.clock import Clock
from koos_kit.logging import get_logger
from koos_kit.messaging.security import KafkaConnection, aiokafka_options
from koos_kit.metrics import CONSUMER_LAG, DLQ_DEPTH, OUTBOX_BACKLOG, OUTBOX_OLDEST_SECONDS, SAMPLED_AT
from koos_kit.outbox import PENDING_SINCE

log = get_logger("koos.sampling")

Sample = Callable[[], Awaitable[None]]
OffsetsClient = Callable[[], AIOKafkaConsumer]
POSITION_WAIT_SECONDS = 1.0


class MetricsSampler:
    """The service's operator gauges, refreshed by `sample_once` (the wiring runs it every ~15 s)."""

    def __init__(self, service: str, broker: KafkaBroker, connection: KafkaConnection, clock: Clock,
                 offsets_client: OffsetsClient | None = None) -> None:
        self._service = service
        self._broker = broker
        self._clock = clock
        self._make_offsets_client = offsets_client or (lambda: AIOKafkaConsumer(**aiokafka_options(connection)))
        self._offsets: AIOKafkaConsumer | None = None
        self._dead_letter_topics: list[str] = []
        self._collections: list[AsyncCollection[Any]] = []
        self._samples: list[Sample] = []
        self._lag_labels: set[tuple[str, str, str, str]] = set()

    def watch_dead_letters(self, topics: Iterable[str]) -> None:
        """Report the depth of these `.dlq` topics."""
        self._dead_letter_topics += [t for t in topics if t not in self._dead_letter_topics]

    def watch_outbox(self, collections: Sequence[AsyncCollection[Any]]) -> None:
        """Report the outbox backlog of these collections."""
        self._collections += list(collections)

    def add(self, sample: Sample) -> None:
        """Run a service's own sample with the others."""
        self._samples.append(sample)

    async def sample_once(self) -> None:
        """Refresh every gauge; a part that fails (a server away) keeps its last values and the rest go on."""
        for part in (self._consumer_lag, self._dead_letter_depth, self._outbox_backlog, *self._samples):
            try:
                await part()
            except Exception as error:
                log.debug("metrics sample failed", sample=getattr(part, "__name__", "sample"),
                          error_type=type(error).__name__)
        SAMPLED_AT.labels(self._service).set(time.time())

    async def close(self) -> None:
        if self._offsets is not None:
            await self._offsets.stop()
            self._offsets = None

    async def _consumer_lag(self) -> None:
        seen: set[tuple[str, str, str, str]] = set()
        for subscriber in self._broker.subscribers:
            consumer = getattr(subscriber, "consumer", None)
            group = str(getattr(subscriber, "group_id", "") or "")
            if consumer is None:
                continue
            for partition, lag in (await _lags(consumer)).items():
                labels = (self._service, group, partition.topic, str(partition.partition))
                CONSUMER_LAG.labels(*labels).set(lag)
                seen.add(labels)
        for gone in self._lag_labels - seen:
            CONSUMER_LAG.remove(*gone)
        self._lag_labels = seen

    async def _dead_letter_depth(self) -> None:
        if not self._dead_letter_topics:
            return
        client = await self._offsets_client()
        partitions = [TopicPartition(topic, p) for topic in self._dead_letter_topics
                      for p in sorted(client.partitions_for_topic(topic) or {0})]
        ends = await client.end_offsets(partitions)
        starts = await client.beginning_offsets(partitions)
        for topic in self._dead_letter_topics:
            depth = sum(ends[p] - starts[p] for p in partitions if p.topic == topic)
            DLQ_DEPTH.labels(self._service, topic).set(depth)

    async def _outbox_backlog(self) -> None:
        now = self._clock.now()
        for collection in self._collections:
            count, oldest = await outbox_backlog(collection)
            OUTBOX_BACKLOG.labels(self._service, collection.name).set(count)
            waited = (now - oldest).total_seconds() if oldest else 0.0
            OUTBOX_OLDEST_SECONDS.labels(self._service, collection.name).set(max(waited, 0.0))

    async def _offsets_client(self) -> AIOKafkaConsumer:
        if self._offsets is None:
            client = self._make_offsets_client()
            await client.start()
            self._offsets = client
        return self._offsets


async def outbox_backlog(collection: AsyncCollection[Any]) -> tuple[int, datetime | None]:
    """How many documents hold unpublished events, and since when the oldest waits (one aggregation)."""
    pipeline: list[dict[str, Any]] = [{"$match": {PENDING_SINCE: {"$exists": True}}},
                {"$group": {"_id": None, "count": {"$sum": 1}, "oldest": {"$min": f"${PENDING_SINCE}"}}}]
    async for row in await collection.aggregate(pipeline):
        return int(row["count"]), row.get("oldest")
    return 0, None


async def _lags(consumer: AIOKafkaConsumer) -> dict[TopicPartition, int]:
    """High watermark minus position of each assigned partition whose both are known (no request is made)."""
    lags: dict[TopicPartition, int] = {}
    for partition in consumer.assignment():
        try:
            highwater = consumer.highwater(partition)
            position = await asyncio.wait_for(consumer.position(partition), POSITION_WAIT_SECONDS)
        except Exception:  # not assigned any more, or no position yet: the next sample tells
            continue
        if highwater is not None and position is not None:
            lags[partition] = max(int(highwater) - int(position), 0)
    return lags

