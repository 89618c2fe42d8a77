"""Settling a consumed batch with Kafka: commit what is done, write what was set aside, resume stalled partitions.

A batch without dead letters or retries commits its offsets. A batch with some writes them and commits the
offsets that pass them in one Kafka transaction, so that a crash before the commit leaves neither the dead
letter nor the retry behind, and a batch consumed again writes them once. Readers of `.dlq` and `.retry`
topics read committed records only.
"""

import asyncio
from collections.abc import Callable
from typing import Any, Protocol

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.errors import KafkaError

from koos_kit.logging import get_logger
from koos_kit.messaging.dead_letters import dead_letter_headers, dead_letter_topic, fitting
from koos_kit.messaging.progress import BatchReport, Sidelined
from koos_kit.messaging.records import TopicPartitionKey
from koos_kit.messaging.retry import RetryPolicy, retry_headers, retry_topic

log = get_logger("koos.consumer")

ProducerFactory = Callable[[], AIOKafkaProducer]


class Settlement(Protocol):
    """Makes a batch's report true in Kafka."""

    async def settle(self, consumer: Any, report: BatchReport, group_id: str | None = None) -> None: ...

    async def close(self) -> None: ...


class KafkaSettlement:
    """Commits per partition; dead letters and retries go out in a transaction with their offsets."""

    def __init__(self, make_transactional_producer: ProducerFactory, group_id: str, retry: RetryPolicy) -> None:
        self._make = make_transactional_producer
        self._group_id = group_id
        self._retry = retry
        self._producer: AIOKafkaProducer | None = None
        self._one_at_a_time = asyncio.Lock()

    async def settle(self, consumer: AIOKafkaConsumer, report: BatchReport, group_id: str | None = None) -> None:
        """Commit (in the consumer's group; transactional offsets name it) and resume stalled partitions."""
        offsets = {TopicPartition(topic, partition): offset for (topic, partition), offset in report.done.items()}
        try:
            if report.sidelined:
                await self._in_transaction(report.sidelined, offsets, group_id or self._group_id)
            elif offsets:
                await consumer.commit(offsets)
        except KafkaError as error:
            log.warning("batch not settled; its partitions are consumed again", error_type=type(error).__name__)
            _seek(consumer, report.first)
            return
        _seek(consumer, report.rewind)

    async def close(self) -> None:
        if self._producer is not None:
            await self._producer.stop()
            self._producer = None

    async def _in_transaction(self, sidelined: list[Sidelined], offsets: dict[TopicPartition, int],
                              group_id: str) -> None:
        async with self._one_at_a_time:
            await self._send_in_transaction(sidelined, offsets, group_id)

    async def _send_in_transaction(self, sidelined: list[Sidelined], offsets: dict[TopicPartition, int],
                                   group_id: str) -> None:
        producer = await self._transactional()
        try:
            async with producer.transaction():
                for item in sidelined:
                    topic, headers = self._destination(item)
                    value = item.record.value or b""
                    if item.destination != "retry":
                        value, headers = fitting(value, headers)
                    await producer.send(topic, value, key=item.record.key, headers=headers)
                if offsets:
                    await producer.send_offsets_to_transaction(offsets, group_id)
        except KafkaError:
            await self.close()
            raise

    def _destination(self, item: Sidelined) -> tuple[str, list[tuple[str, bytes]]]:
        if item.destination == "retry":
            return retry_topic(item.record.topic), retry_headers(item.record, item.reason, self._retry,
                                                                 group=self._group_id)
        headers = dead_letter_headers(item.record, item.reason, item.error_type, self._group_id)
        return dead_letter_topic(item.record), headers

    async def _transactional(self) -> AIOKafkaProducer:
        if self._producer is None:
            producer = self._make()
            await producer.start()
            self._producer = producer
        return self._producer


def _seek(consumer: AIOKafkaConsumer, positions: dict[TopicPartitionKey, int]) -> None:
    for (topic, partition), offset in positions.items():
        try:
            consumer.seek(TopicPartition(topic, partition), offset)
        except (KafkaError, AssertionError, ValueError) as error:
            log.info("partition no longer ours; its new owner resumes it", error_type=type(error).__name__)
