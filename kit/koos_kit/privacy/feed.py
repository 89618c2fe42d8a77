"""Keeps a service's key ring current from the compacted topic `koos.privacy.keys.v1`.

The topic has the catalogue's partitions (it is made with them). The ring is read from offset 0 before the
service consumes anything else (no consumer group: every instance keeps a whole copy), then followed in the
background. A record is a `DataKeyIssued` event; a tombstone (no value) erases the subject's key. `catch_up`
reads to the current end, so a sealed field of a subject the ring does not know is opened only after every
key written before it has been read.
"""

import asyncio
from collections.abc import Callable
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition
from cryptography.exceptions import InvalidTag

from koos_contracts import from_record, parse
from koos_contracts.personal_data import DataKeyIssued
from koos_contracts.topics import PRIVACY_KEYS
from koos_kit.logging import get_logger
from koos_kit.privacy.keyring import KeyRing, KeyWrapper

log = get_logger("koos.privacy")

ConsumerFactory = Callable[[], AIOKafkaConsumer]


class KeyFeed:
    """Reads the keys topic into a ring: `start` reads it all, `run` follows it, `catch_up` reads to the end."""

    def __init__(self, make_consumer: ConsumerFactory, topic: str, ring: KeyRing, wrapper: KeyWrapper,
                 partitions: int = PRIVACY_KEYS.partitions) -> None:
        self._make = make_consumer
        self._topic = topic
        self._partition_count = partitions
        self.ring = ring
        self._wrapper = wrapper
        self._consumer: AIOKafkaConsumer | None = None
        self._partitions: list[TopicPartition] = []
        self._lock = asyncio.Lock()

    async def start(self) -> None:
        consumer = self._make()
        await consumer.start()
        self._partitions = [TopicPartition(self._topic, p) for p in range(self._partition_count)]
        consumer.assign(self._partitions)
        await consumer.seek_to_beginning(*self._partitions)
        self._consumer = consumer
        await self.catch_up()
        log.info("key ring loaded", keys=len(self.ring.keys), erased=len(self.ring.erased))

    async def stop(self) -> None:
        if self._consumer is not None:
            await self._consumer.stop()
            self._consumer = None

    async def run(self) -> None:
        """Follow the topic until cancelled."""
        while True:
            await self._read(timeout_ms=500)

    async def catch_up(self, timeout: float = 10.0) -> None:
        """Read until every partition's position reaches its end as of now."""
        consumer = self._running()
        ends = await consumer.end_offsets(self._partitions)
        async with asyncio.timeout(timeout):
            while await self._behind(ends):
                await self._read(timeout_ms=200)

    async def _behind(self, ends: dict[TopicPartition, int]) -> bool:
        consumer = self._running()
        for partition, end in ends.items():
            if await consumer.position(partition) < end:
                return True
        return False

    async def _read(self, timeout_ms: int) -> None:
        async with self._lock:
            batches = await self._running().getmany(timeout_ms=timeout_ms, max_records=1000)
        for records in batches.values():
            for record in records:
                self._apply(record)

    def _apply(self, record: Any) -> None:
        subject = (record.key or b"").decode(errors="replace")
        if record.value is None:
            self.ring.erase(subject)
            return
        try:
            issued = parse(from_record(record.value, list(record.headers or ()), key=record.key))
            if isinstance(issued, DataKeyIssued):
                self.ring.add(issued.subject_id, self._wrapper.unwrap(issued.subject_id, issued.wrapped_key,
                                                                      issued.nonce))
        except (ValueError, InvalidTag):
            log.warning("key record unreadable (another key-encryption key?); skipped", offset=record.offset)

    def _running(self) -> AIOKafkaConsumer:
        if self._consumer is None:
            raise RuntimeError("the key feed is not started")
        return self._consumer
