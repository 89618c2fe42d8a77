"""When each seat decision appeared on Kafka, read by a cheap consumer that looks at record headers only.

A decision is a RegistrationConfirmed or RegistrationWaitlisted event on the registrations topic; its
`ce_subject` header is the registration id and its record key the edition id. The consumer is assigned every
partition at the end of the topic before the benchmark sends anything, so it sees every decision after that.
"""

import asyncio
import time
from collections.abc import Iterable
from types import TracebackType

from aiokafka import AIOKafkaConsumer, TopicPartition
from rich.progress import Progress

from benchmarks.harness import console
from koos_contracts.topics import REGISTRATIONS
from koos_kit.messaging.security import KafkaConnection, aiokafka_options

DECISIONS = {b"koos.registration.RegistrationConfirmed.v1", b"koos.registration.RegistrationWaitlisted.v1"}


class DecisionWatcher:
    """Timestamps (`time.perf_counter()`) of the first decision of each registration of some editions."""

    def __init__(self, connection: KafkaConnection, editions: Iterable[str]) -> None:
        self.keys = {edition.encode() for edition in editions}
        self.decided: dict[str, float] = {}
        self.repeated = 0
        self._consumer = AIOKafkaConsumer(**aiokafka_options(connection), enable_auto_commit=False,
                                          auto_offset_reset="latest")
        self._task: asyncio.Task[None] | None = None

    async def __aenter__(self) -> "DecisionWatcher":
        consumer = self._consumer
        await consumer.start()
        partitions = [TopicPartition(REGISTRATIONS.name, p) for p in range(REGISTRATIONS.partitions)]
        consumer.assign(partitions)
        await consumer.seek_to_end(*partitions)
        for partition in partitions:
            await consumer.position(partition)
        self._task = asyncio.create_task(self._watch())
        return self

    async def __aexit__(self, kind: type[BaseException] | None, error: BaseException | None,
                        trace: TracebackType | None) -> None:
        if self._task is not None:
            self._task.cancel()
        await self._consumer.stop()

    async def _watch(self) -> None:
        while True:
            batch = await self._consumer.getmany(timeout_ms=200, max_records=10_000)
            now = time.perf_counter()
            for record in (r for records in batch.values() for r in records):
                if record.key in self.keys:
                    self._note(record.headers, now)

    def _note(self, headers: Iterable[tuple[str, bytes]], now: float) -> None:
        kind = subject = None
        for name, value in headers:
            if name == "ce_type":
                kind = value
            elif name == "ce_subject":
                subject = value
        if kind in DECISIONS and subject is not None:
            registration = subject.decode()
            if registration in self.decided:
                self.repeated += 1
            else:
                self.decided[registration] = now

    async def wait_for(self, count: int, idle_timeout: float = 60.0, what: str = "decisions") -> bool:
        """Wait until `count` registrations are decided, or none was for `idle_timeout` s; tell if all were."""
        with Progress(console=console, transient=True, refresh_per_second=2) as progress:
            task = progress.add_task(what, total=count)
            seen, idle_since = 0, time.perf_counter()
            while len(self.decided) < count and time.perf_counter() - idle_since < idle_timeout:
                await asyncio.sleep(0.1)
                if self._task is not None and self._task.done():
                    self._task.result()  # the consumer failed: raise why
                if len(self.decided) > seen:
                    seen, idle_since = len(self.decided), time.perf_counter()
                    progress.update(task, completed=seen)
        return len(self.decided) >= count
