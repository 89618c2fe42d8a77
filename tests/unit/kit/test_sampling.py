"""The gauges a service samples for its operators: lag from its own consumers, DLQ depth, outbox backlog."""

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

from aiokafka import TopicPartition
from prometheus_client import REGISTRY

from koos_kit.sampling import MetricsSampler

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
EDITIONS = "t1.koos.scheduling.editions.v1"


class FakeConsumer:
    """What the sampler asks of a subscriber's consumer: its partitions, high watermarks and positions."""

    def __init__(self, positions: dict[TopicPartition, tuple[int, int | None]]) -> None:
        self.positions = positions

    def assignment(self) -> set[TopicPartition]:
        return set(self.positions)

    def highwater(self, partition: TopicPartition) -> int | None:
        return self.positions[partition][1]

    async def position(self, partition: TopicPartition) -> int:
        return self.positions[partition][0]


class FakeSubscriber:
    def __init__(self, consumer: FakeConsumer | None, group_id: str = "t1.koos-registration") -> None:
        self.consumer = consumer
        self.group_id = group_id


class FakeBroker:
    def __init__(self, *subscribers: FakeSubscriber) -> None:
        self.subscribers = list(subscribers)


class FakeOffsets:
    """The offsets client: one partition per .dlq topic, with start and end offsets."""

    def __init__(self, offsets: dict[str, tuple[int, int]]) -> None:
        self.offsets = offsets
        self.started = self.stopped = False

    async def start(self) -> None:
        self.started = True

    async def stop(self) -> None:
        self.stopped = True

    def partitions_for_topic(self, topic: str) -> set[int]:
        return {0}

    async def beginning_offsets(self, partitions: list[TopicPartition]) -> dict[TopicPartition, int]:
        return {p: self.offsets[p.topic][0] for p in partitions}

    async def end_offsets(self, partitions: list[TopicPartition]) -> dict[TopicPartition, int]:
        return {p: self.offsets[p.topic][1] for p in partitions}


class FakeCollection:
    """Answers the backlog aggregation like MongoDB: one row, or none when nothing is pending."""

    def __init__(self, name: str, pending: list[datetime]) -> None:
        self.name = name
        self.pending = pending

    async def aggregate(self, pipeline: list[dict[str, Any]]) -> AsyncIterator[dict[str, Any]]:
        rows = [{"_id": None, "count": len(self.pending), "oldest": min(self.pending)}] if self.pending else []

        async def cursor() -> AsyncIterator[dict[str, Any]]:
            for row in rows:
                yield row

        return cursor()


class Clock:
    def now(self) -> datetime:
        return NOW


def gauge(name: str, **labels: str) -> float | None:
    return REGISTRY.get_sample_value(name, labels)


def sampler(broker: FakeBroker, offsets: FakeOffsets | None = None, service: str = "registration") -> MetricsSampler:
    return MetricsSampler(service, broker, None, Clock(), offsets_client=lambda: offsets or FakeOffsets({}))  # type: ignore[arg-type]


async def test_lag_is_what_each_owned_partition_has_beyond_the_consumers_position() -> None:
    commands = "t1.koos.registration.commands.v1"
    consumer = FakeConsumer({TopicPartition(commands, 0): (40, 52), TopicPartition(commands, 1): (7, 7),
                             TopicPartition(commands, 2): (3, None)})
    await sampler(FakeBroker(FakeSubscriber(consumer), FakeSubscriber(None))).sample_once()

    labels = {"service": "registration", "group": "t1.koos-registration", "topic": commands}
    assert gauge("koos_consumer_lag", **labels, partition="0") == 12
    assert gauge("koos_consumer_lag", **labels, partition="1") == 0
    assert gauge("koos_consumer_lag", **labels, partition="2") is None


async def test_a_partition_given_to_another_instance_stops_being_reported_here() -> None:
    topic = "t1.koos.registration.registrations.v1"
    consumer = FakeConsumer({TopicPartition(topic, 0): (1, 5), TopicPartition(topic, 1): (2, 9)})
    watcher = sampler(FakeBroker(FakeSubscriber(consumer, "t1.koos-gateway")), service="gateway")
    await watcher.sample_once()
    del consumer.positions[TopicPartition(topic, 1)]

    await watcher.sample_once()

    labels = {"service": "gateway", "group": "t1.koos-gateway", "topic": topic}
    assert gauge("koos_consumer_lag", **labels, partition="0") == 4
    assert gauge("koos_consumer_lag", **labels, partition="1") is None


async def test_dlq_depth_is_what_each_dead_letter_twin_holds_and_the_offsets_client_is_closed_at_the_end() -> None:
    offsets = FakeOffsets({f"{EDITIONS}.dlq": (2, 6), "t1.koos.registration.commands.v1.dlq": (0, 0)})
    watcher = sampler(FakeBroker(), offsets, service="evaluation")
    watcher.watch_dead_letters([f"{EDITIONS}.dlq", "t1.koos.registration.commands.v1.dlq"])

    await watcher.sample_once()
    await watcher.close()

    assert gauge("koos_dlq_depth", service="evaluation", topic=f"{EDITIONS}.dlq") == 4
    assert gauge("koos_dlq_depth", service="evaluation", topic="t1.koos.registration.commands.v1.dlq") == 0
    assert offsets.started and offsets.stopped


async def test_the_outbox_backlog_counts_documents_and_ages_the_oldest_waiting_event() -> None:
    editions = FakeCollection("editions", [NOW - timedelta(seconds=90), NOW - timedelta(seconds=5)])
    replies = FakeCollection("replies", [])
    watcher = sampler(FakeBroker(), service="scheduling")
    watcher.watch_outbox([editions, replies])  # type: ignore[list-item]

    await watcher.sample_once()

    assert gauge("koos_outbox_backlog", service="scheduling", collection="editions") == 2
    assert gauge("koos_outbox_oldest_pending_seconds", service="scheduling", collection="editions") == 90
    assert gauge("koos_outbox_backlog", service="scheduling", collection="replies") == 0
    assert gauge("koos_outbox_oldest_pending_seconds", service="scheduling", collection="replies") == 0


async def test_a_part_that_fails_leaves_the_others_sampled_and_the_sample_time_set() -> None:
    class Broken(FakeOffsets):
        async def end_offsets(self, partitions: list[TopicPartition]) -> dict[TopicPartition, int]:
            raise ConnectionError("kafka away")

    watcher = sampler(FakeBroker(), Broken({}), service="notifications")
    watcher.watch_dead_letters(["t1.koos.evaluation.surveys.v1.dlq"])
    watcher.watch_outbox([FakeCollection("notifications", [NOW])])  # type: ignore[list-item]
    seen: list[str] = []

    async def own() -> None:
        seen.append("own")

    watcher.add(own)
    await watcher.sample_once()

    assert seen == ["own"]
    assert gauge("koos_outbox_backlog", service="notifications", collection="notifications") == 1
    assert (gauge("koos_metrics_sampled_timestamp_seconds", service="notifications") or 0) > 0
