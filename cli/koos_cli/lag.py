"""`koos lag`: how far each consumer group is behind, per partition (committed offset against the end).

The end is the last stable offset (what a read-committed consumer can reach). Records written in Kafka
transactions (the `.retry` and `.dlq` twins) are followed by a commit marker that takes an offset of its own, so
a group that has read everything still stands one offset short; a small gap is therefore counted exactly, by
reading the committed records in it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition

from koos_cli.failures import NotFound
from koos_cli.kafka_clients import admin_client, reader, watermarks
from koos_cli.output import Silent, Tracker
from koos_kit.messaging.security import KafkaConnection

COUNTED_UP_TO = 500
"""Gaps of at most this many offsets are counted record by record; larger ones are end - committed."""
COUNTING_POLLS = 12


@dataclass(frozen=True)
class PartitionLag:
    group: str
    topic: str
    partition: int
    committed: int
    end: int
    lag: int

    def row(self) -> dict[str, Any]:
        return {"group": self.group, "topic": self.topic, "partition": self.partition,
                "committed_offset": self.committed, "end_offset": self.end, "lag": self.lag}


@dataclass(frozen=True)
class GroupLag:
    group: str
    state: str
    members: int
    partitions: list[PartitionLag] = field(default_factory=list)

    @property
    def lag(self) -> int:
        return sum(p.lag for p in self.partitions)

    def as_json(self) -> dict[str, Any]:
        return {"group": self.group, "state": self.state, "members": self.members, "lag": self.lag,
                "partitions": [p.row() for p in self.partitions]}


def koos_group_prefix(prefix: str) -> str:
    """Koos's groups are `<prefix>koos-<service>` and groups of the services' own (`…-partners`)."""
    return f"{prefix}koos-"


async def consumer_lag(connection: KafkaConnection, *, prefix: str = "", group: str | None = None,
                       tracker: Tracker | None = None) -> list[GroupLag]:
    """Lag of one named group, or of every Koos group of the namespace."""
    tracker = tracker or Silent()
    async with admin_client(connection) as admin:
        known = sorted(name for name, _ in await admin.list_consumer_groups())
        names = [group] if group else [g for g in known if g.startswith(koos_group_prefix(prefix))]
        tracker.stage("asking the groups", len(names))
        committed: dict[str, dict[TopicPartition, int]] = {}
        states: dict[str, tuple[str, int]] = {}
        for name in names:
            offsets = await admin.list_consumer_group_offsets(name)
            committed[name] = {tp: meta.offset for tp, meta in offsets.items() if meta.offset >= 0}
            states[name] = await _state(admin, name)
            tracker.advance()
    if group and group not in known and not committed.get(group):
        raise NotFound(f"consumer group {group} does not exist (or has no committed offsets)")
    async with reader(connection) as consumer:
        partitions = {tp for offsets in committed.values() for tp in offsets}
        ends = {tp: m.end for tp, m in (await watermarks(consumer, partitions)).items()}
        groups = []
        for name in names:
            rows = [PartitionLag(name, tp.topic, tp.partition, offset, ends[tp],
                                 await _lag(consumer, tp, offset, ends[tp]))
                    for tp, offset in sorted(committed[name].items())]
            groups.append(GroupLag(name, *states[name], rows))
    return groups


async def _state(admin: Any, group: str) -> tuple[str, int]:
    (response,) = await admin.describe_consumer_groups([group])
    for described in response.to_object()["groups"]:
        if described["group"] == group:
            return described["state"] or "unknown", len(described["members"])
    return "unknown", 0


async def _lag(consumer: AIOKafkaConsumer, partition: TopicPartition, committed: int, end: int) -> int:
    gap = max(end - committed, 0)
    if gap == 0 or gap > COUNTED_UP_TO:
        return gap
    return await _records_between(consumer, partition, committed, end)


async def _records_between(consumer: AIOKafkaConsumer, partition: TopicPartition, start: int, end: int) -> int:
    """Committed records in [start, end) of a partition (markers of transactions are not records); the plain
    difference if reading them takes longer than a few polls."""
    consumer.assign([partition])
    consumer.seek(partition, start)
    counted = 0
    for _ in range(COUNTING_POLLS):
        if await consumer.position(partition) >= end:
            return counted
        batch = await consumer.getmany(partition, timeout_ms=250)
        counted += sum(1 for r in batch.get(partition, []) if r.offset < end)
    return end - start
