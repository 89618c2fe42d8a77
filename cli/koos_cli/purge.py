"""`koos dlq purge`: delete the dead letters before an offset, after saying how many were never redriven.

Kafka deletes records only as a prefix of a partition (the admin API's DeleteRecords moves the log start), so a
purge takes everything before an offset; dead letters of one type or reason in the middle cannot be removed
alone (they leave with the prefix, or when retention expires them).
"""

from __future__ import annotations

from dataclasses import dataclass

from aiokafka import TopicPartition
from aiokafka.admin import RecordsToDelete

from koos_cli.dlq import DeadLetter, Selection, read_dead_letters
from koos_cli.failures import ConfigError
from koos_cli.kafka_clients import admin_client, partitions_of, reader, watermarks
from koos_cli.output import Silent, Tracker
from koos_cli.redrive import plan_redrive
from koos_kit.messaging.security import KafkaConnection


@dataclass(frozen=True)
class Cut:
    """One partition's records from `start` up to `before` (exclusive) go."""

    partition: int
    start: int
    before: int

    @property
    def count(self) -> int:
        return max(self.before - self.start, 0)


@dataclass(frozen=True)
class PurgePlan:
    topic: str
    cuts: list[Cut]
    dead_letters: list[DeadLetter]
    never_redriven: list[DeadLetter]

    def as_json(self) -> dict[str, object]:
        return {"topic": self.topic, "dead_letters": len(self.dead_letters),
                "never_redriven": len(self.never_redriven),
                "partitions": [{"partition": c.partition, "start_offset": c.start, "before_offset": c.before,
                                "offsets": c.count} for c in self.cuts]}


async def plan_purge(connection: KafkaConnection, topic: str, *, before: int | None, partition: int | None,
                     tracker: Tracker | None = None) -> PurgePlan:
    """What a purge would delete (`before` None: everything there is now), and which of it was never redriven."""
    tracker = tracker or Silent()
    async with reader(connection) as consumer:
        partitions = await partitions_of(consumer, topic)
        if partition is not None:
            partitions = [p for p in partitions if p.partition == partition]
            if not partitions:
                raise ConfigError(f"{topic} has no partition {partition}")
        if before is not None and len(partitions) > 1:
            raise ConfigError(f"{topic} has {len(partitions)} partitions: name one with --partition")
        marks = await watermarks(consumer, partitions)
    cuts = [Cut(p.partition, m.start, m.end if before is None else min(max(before, m.start), m.end))
            for p, m in sorted(marks.items(), key=lambda item: item[0].partition)]
    letters: list[DeadLetter] = []
    for cut in cuts:
        if cut.count:
            selection = Selection(from_offset=cut.start, to_offset=cut.before - 1, partition=cut.partition)
            letters += await read_dead_letters(connection, topic, selection, tracker)
    plan = await plan_redrive(connection, letters, tracker)
    return PurgePlan(topic, cuts, letters, [item.dead_letter for item in plan if not item.already_sent])


async def purge(connection: KafkaConnection, plan: PurgePlan) -> dict[int, int]:
    """Delete what the plan says; return each partition's new first offset."""
    wanted = {TopicPartition(plan.topic, c.partition): RecordsToDelete(c.before) for c in plan.cuts if c.count}
    if not wanted:
        return {}
    async with admin_client(connection) as admin:
        low = await admin.delete_records(wanted)
    return {tp.partition: offset for tp, offset in low.items()}
