"""`koos dlq redrive`: dead letters back onto the topic they came from, each one once.

A redriven record is its original key, value and headers, without the `koos_dlq_*` and `koos_retry_*` ones and
with `koos_redrive_of: <the dead letter's id>` (`koos_dlq_id`: the same for every copy of one source record the
DLQ may hold, so such copies go once; the DLQ address for records without one). Before sending, the destination
topics are read (from a little before the oldest selected dead letter was written) for those markers: what
carries one was redriven already and is not sent again. Records go out in transactions of a few hundred, and
runs of one namespace share a transactional id, so a run that starts fences one still going (its open chunk is
aborted, it stops) and then sees everything that one committed: concurrent runs never send a dead letter twice.
Services read their topics uncommitted, so they may see an aborted chunk's records; like any repeat, what they
applied already is dropped.
"""

from __future__ import annotations

import contextlib
from collections import defaultdict
from dataclasses import dataclass

from aiokafka import AIOKafkaConsumer, TopicPartition

from koos_cli.dlq import DeadLetter
from koos_cli.kafka_clients import partitions_of, reader, watermarks, writer
from koos_cli.output import Silent, Tracker
from koos_kit.messaging.dead_letters import DLQ_HEADER_PREFIX
from koos_kit.messaging.records import Headers
from koos_kit.messaging.retry import PREFIX as RETRY_HEADER_PREFIX
from koos_kit.messaging.security import KafkaConnection

MARKER = "koos_redrive_of"
CLOCK_MARGIN_MS = 3_600_000
"""How far before a dead letter's timestamp the search for its marker starts (clocks of hosts differ)."""
POLL_MS = 500
CHUNK = 500
"""Dead letters per transaction: a run stopped part-way keeps what it committed."""


@dataclass(frozen=True)
class Redrive:
    """One dead letter, where it goes, and whether an earlier run sent it already."""

    dead_letter: DeadLetter
    destination: str
    already_sent: bool

    @property
    def headers(self) -> Headers:
        return redriven_headers(self.dead_letter)

    def row(self) -> dict[str, object]:
        return {**self.dead_letter.summary(), "destination": self.destination, "already_sent": self.already_sent}


def redriven_headers(letter: DeadLetter) -> Headers:
    """The original headers, without the DLQ's and the retries' own, marked with the dead letter's address."""
    dropped = (DLQ_HEADER_PREFIX, RETRY_HEADER_PREFIX, MARKER)
    kept = [(name, value) for name, value in letter.headers if not name.startswith(dropped)]
    return [*kept, (MARKER, letter.marker.encode())]


def transactional_id(prefix: str) -> str:
    return f"{prefix}koos-operator-redrive"


async def plan_redrive(connection: KafkaConnection, letters: list[DeadLetter],
                       tracker: Tracker | None = None) -> list[Redrive]:
    """What a redrive of these dead letters would do (nothing is sent)."""
    sent = await sent_markers(connection, letters, tracker or Silent())
    plan = []
    for letter in letters:
        plan.append(Redrive(letter, letter.origin, letter.marker in sent))
        sent.add(letter.marker)  # a second copy of the same dead letter goes no more than once
    return plan


async def redrive(connection: KafkaConnection, letters: list[DeadLetter], prefix: str,
                  tracker: Tracker | None = None) -> list[Redrive]:
    """Send the dead letters not redriven before, a transaction per chunk; return the plan it carried out."""
    tracker = tracker or Silent()
    async with writer(connection, transactional_id=transactional_id(prefix)) as producer:
        await producer.begin_transaction()  # waits for the producer id: an earlier run still going is fenced
        plan = await plan_redrive(connection, letters, tracker)
        due = [item for item in plan if not item.already_sent]
        tracker.stage("redriving", len(due))
        try:
            for number, item in enumerate(due, start=1):
                letter = item.dead_letter
                await producer.send(item.destination, letter.value, key=letter.key, headers=item.headers)
                tracker.advance()
                if number % CHUNK == 0 and number < len(due):
                    await producer.commit_transaction()
                    await producer.begin_transaction()
            await producer.commit_transaction()
        except BaseException:
            with contextlib.suppress(Exception):  # a fenced producer cannot abort; the broker aborts for it
                await producer.abort_transaction()
            raise
    return plan


async def sent_markers(connection: KafkaConnection, letters: list[DeadLetter], tracker: Tracker) -> set[str]:
    """Markers found on the destination topics since a little before the oldest of the dead letters."""
    since: dict[str, int] = {}
    for letter in letters:
        since[letter.origin] = min(since.get(letter.origin, letter.timestamp_ms), letter.timestamp_ms)
    if not since:
        return set()
    async with reader(connection) as consumer:
        ranges = await _ranges(consumer, {t: max(ms - CLOCK_MARGIN_MS, 0) for t, ms in since.items()})
        tracker.stage("looking for earlier redrives", sum(end - start for start, end in ranges.values()))
        return await _markers(consumer, ranges, tracker)


async def _ranges(consumer: AIOKafkaConsumer, since: dict[str, int]) -> dict[TopicPartition, tuple[int, int]]:
    partitions = {p: ms for topic, ms in since.items() for p in await partitions_of(consumer, topic)}
    marks = await watermarks(consumer, partitions)
    found = await consumer.offsets_for_times(dict(partitions.items()))
    ranges = {}
    for partition, mark in marks.items():
        at = found.get(partition)
        start = max(at.offset, mark.start) if at is not None else mark.end
        if start < mark.end:
            ranges[partition] = (start, mark.end)
    return ranges


async def _markers(consumer: AIOKafkaConsumer, ranges: dict[TopicPartition, tuple[int, int]],
                   tracker: Tracker) -> set[str]:
    markers: set[str] = set()
    if not ranges:
        return markers
    consumer.assign(list(ranges))
    for partition, (start, _) in ranges.items():
        consumer.seek(partition, start)
    going = dict(ranges)
    while going:
        batch = await consumer.getmany(*going, timeout_ms=POLL_MS)
        for records in batch.values():
            for record in records:
                markers.update(v.decode(errors="replace") for k, v in record.headers or () if k == MARKER and v)
            tracker.advance(len(records))
        for partition in list(going):
            if await consumer.position(partition) >= going[partition][1]:
                consumer.pause(partition)
                del going[partition]
    return markers


def by_destination(plan: list[Redrive]) -> dict[str, int]:
    """How many dead letters go to each topic (those not sent before)."""
    counts: dict[str, int] = defaultdict(int)
    for item in plan:
        if not item.already_sent:
            counts[item.destination] += 1
    return dict(counts)
