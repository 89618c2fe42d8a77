"""`koos replay`: a range of a topic handed once more to one service, and to no other.

The records go to the topic's `.retry` twin, which every service consuming the topic reads in its own group, with
attempt 0, due now and `koos_retry_group` naming the one service's group: the others pass them by (see
`koos_kit.messaging.retry`). The service handles them as any redelivery: what it applied already is dropped (event
ids come from their cause, aggregates remember their commands), what it missed (a database restored from a
backup, say) is applied. Only topics the service consumes can be replayed into it; the services' ACLs allow
them to read those twins, and the operator's user writes them.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from aiokafka import AIOKafkaConsumer, TopicPartition

from koos_cli.failures import ConfigError
from koos_cli.kafka_clients import partitions_of, reader, watermarks, writer
from koos_cli.output import Silent, Tracker
from koos_contracts.access import ACCESS_BY_SERVICE
from koos_kit.messaging.dead_letters import DLQ_HEADER_PREFIX
from koos_kit.messaging.records import Headers
from koos_kit.messaging.retry import retry_topic, waiting_headers
from koos_kit.messaging.security import KafkaConnection

REASON = "replayed by an operator"
POLL_MS = 500


@dataclass(frozen=True)
class ReplayRange:
    """Where to start and stop in each partition; to_offset is inclusive, times are epoch milliseconds."""

    partition: int | None = None
    from_offset: int | None = None
    from_time_ms: int | None = None
    to_offset: int | None = None
    to_time_ms: int | None = None


@dataclass
class ReplayReport:
    topic: str
    destination: str
    group: str
    dry_run: bool
    partitions: dict[int, list[int]] = field(default_factory=dict)
    """partition -> [first offset, last offset, records]"""

    @property
    def records(self) -> int:
        return sum(p[2] for p in self.partitions.values())

    def rows(self) -> list[dict[str, int]]:
        return [{"partition": p, "first_offset": v[0], "last_offset": v[1], "records": v[2]}
                for p, v in sorted(self.partitions.items())]

    def as_json(self) -> dict[str, object]:
        return {"topic": self.topic, "destination": self.destination, "group": self.group, "dry_run": self.dry_run,
                "records": self.records, "partitions": self.rows()}


def replay_target(topic: str, service: str, prefix: str) -> tuple[str, str]:
    """The retry twin and the consumer group a replay of topic into service uses; ConfigError if it cannot."""
    access = ACCESS_BY_SERVICE.get(service)
    if access is None:
        raise ConfigError(f"no service {service!r} (services: {', '.join(sorted(ACCESS_BY_SERVICE))})")
    name = topic.removeprefix(prefix)
    consumed = [t.name for t in access.consumes]
    if name not in consumed:
        raise ConfigError(f"{service} does not consume {name}; it consumes {', '.join(consumed)}")
    return retry_topic(prefix + name), access.group_prefix(prefix)


def replayed_headers(headers: Headers, source: str, group: str, now: float) -> Headers:
    """The record's headers (without dead-letter ones) as a retry due now, attempt 0, for one group only."""
    kept = [(name, value) for name, value in headers if not name.startswith(DLQ_HEADER_PREFIX)]
    return waiting_headers(kept, attempt=0, due=now, reason=REASON, source=source, group=group)


async def replay(connection: KafkaConnection, topic: str, service: str, prefix: str, span: ReplayRange, *,
                 dry_run: bool = False, tracker: Tracker | None = None) -> ReplayReport:
    """Re-publish the range for the service; with dry_run only count what would go."""
    tracker = tracker or Silent()
    destination, group = replay_target(topic, service, prefix)
    report = ReplayReport(topic, destination, group, dry_run)
    async with reader(connection) as consumer, writer(connection) as producer:
        ranges = await _ranges(consumer, topic, span)
        tracker.stage(f"replaying {topic} into {service}" if not dry_run else f"counting {topic}",
                      sum(end - start for start, end in ranges.values()))
        consumer.assign(list(ranges))
        for partition, (start, _) in ranges.items():
            consumer.seek(partition, start)
        going = dict(ranges)
        while going:
            batch = await consumer.getmany(*going, timeout_ms=POLL_MS)
            for partition, records in batch.items():
                for record in records:
                    if record.offset >= going.get(partition, (0, 0))[1] or _after(record, span):
                        going.pop(partition, None)
                        break
                    if not dry_run:
                        headers = [(k, v or b"") for k, v in record.headers or ()]
                        source = f"{record.topic}/{record.partition}/{record.offset}"
                        await producer.send(destination, record.value, key=record.key,
                                            headers=replayed_headers(headers, source, group, time.time()))
                    _count(report, record.partition, record.offset)
                tracker.advance(len(records))
            going = {p: r for p, r in going.items() if await consumer.position(p) < r[1]}
        await producer.flush()
    return report


async def _ranges(consumer: AIOKafkaConsumer, topic: str, span: ReplayRange) -> dict[TopicPartition, tuple[int, int]]:
    partitions = [p for p in await partitions_of(consumer, topic)
                  if span.partition is None or p.partition == span.partition]
    if not partitions:
        raise ConfigError(f"{topic} has no partition {span.partition}")
    marks = await watermarks(consumer, partitions)
    starts = {p: m.start for p, m in marks.items()}
    if span.from_time_ms is not None:
        found = await consumer.offsets_for_times({p: span.from_time_ms for p in partitions})
        starts = {p: found[p].offset if found.get(p) else marks[p].end for p in partitions}
    if span.from_offset is not None:
        starts = {p: max(start, span.from_offset) for p, start in starts.items()}
    ends = {p: min(m.end, span.to_offset + 1) if span.to_offset is not None else m.end for p, m in marks.items()}
    return {p: (starts[p], ends[p]) for p in partitions if starts[p] < ends[p]}


def _after(record: object, span: ReplayRange) -> bool:
    return span.to_time_ms is not None and int(getattr(record, "timestamp", 0)) > span.to_time_ms


def _count(report: ReplayReport, partition: int, offset: int) -> None:
    first, _, records = report.partitions.get(partition, [offset, offset, 0])
    report.partitions[partition] = [first, offset, records + 1]
