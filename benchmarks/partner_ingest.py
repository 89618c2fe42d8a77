"""Partner bulk ingest: enrolments published straight to Kafka as RegisterParticipant commands, decided, stored.

Runs Kafka, the Mongo-wire server and the registration service only; the editions are announced by publishing
EditionPublished straight to the editions topic, as scheduling would. The whole backlog of commands is put on
Kafka while registration is stopped, then registration is started and works it off, so the rate is its own:
decisions seen on the registrations topic, first to last, set against the raw rates of the same servers in the
same run (a plain consumer reading the same backlog; Mongo-wire inserts one by one and in bulk, measured
right after the ingest).
Run: `.venv/bin/python -m benchmarks.partner_ingest --enrolments 5000`.
"""

import asyncio
import math
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import typer
from aiokafka import AIOKafkaProducer
from rich.table import Table

from benchmarks.decisions import DecisionWatcher
from benchmarks.harness import Figure, Stopwatch, console, figure_table, usage_table
from benchmarks.infrastructure import consume_rate, mongo_write_figures
from benchmarks.processes import Sampler, Usage
from benchmarks.store import offers_known, stored_registrations
from benchmarks.system import ORGANISATION, Koos, running_koos
from koos_cli.stack import SERVICES
from koos_contracts import Message, to_record, wrap
from koos_contracts.registration import RegisterParticipant
from koos_contracts.scheduling import EditionPublished, ScheduledSession
from koos_contracts.topics import REGISTRATION_COMMANDS
from koos_contracts.values import Person, Venue
from koos_kit.messaging.security import KafkaConnection, aiokafka_options

app = typer.Typer(add_completion=False)
REGISTRATION = next(spec for spec in SERVICES if spec.name == "registration")
Record = tuple[str, bytes, bytes, list[tuple[str, bytes]]]


def edition(seats: int) -> EditionPublished:
    """An open course a month ahead with `seats` seats, registration open now."""
    start = (datetime.now(UTC) + timedelta(days=30)).replace(hour=7, minute=0, second=0, microsecond=0)
    session = ScheduledSession(session_id="s1", starts_at=start, ends_at=start + timedelta(hours=3),
                               venue=Venue(name="Raekoda", address="Raekoja plats 1", city="Tallinn"))
    return EditionPublished(edition_id=uuid.uuid4(), kind="open_course", title={"et": "Teenusedisain"},
                            description={}, timezone="Europe/Tallinn", starts_on=start.date(), ends_on=start.date(),
                            capacity=seats, registration_opens_at=datetime.now(UTC) - timedelta(hours=1),
                            registration_closes_at=start - timedelta(days=1), sessions=(session,),
                            reminder_offsets_minutes=(), feedback_questions=())


def record(message: Message) -> Record:
    """Topic, key, value and CloudEvents headers of a message, as a partner system publishes it."""
    key, value, headers = to_record(wrap(message, source="/partners/bench", organisation_id=ORGANISATION))
    return message.topic.name, key, value, headers


def enrolments(editions: list[EditionPublished], count: int) -> list[Record]:
    """`count` RegisterParticipant commands, dealt round the editions."""
    return [record(RegisterParticipant(edition_id=editions[n % len(editions)].edition_id,
                                       person=Person(email=f"enrolee{n}@partner.example", name=f"Enrolee {n}",
                                                     language="et")))
            for n in range(count)]


async def publish(connection: KafkaConnection, records: list[Record]) -> float:
    """Publish every record, batched; records/s."""
    producer = AIOKafkaProducer(**aiokafka_options(connection), enable_idempotence=True, acks="all", linger_ms=10)
    await producer.start()
    watch = Stopwatch()
    try:
        for start in range(0, len(records), 5000):
            await asyncio.gather(*[await producer.send(topic, value, key=key, headers=headers)
                                   for topic, key, value, headers in records[start:start + 5000]])
    finally:
        await producer.stop()
    return len(records) / watch.seconds()


@dataclass
class Ingest:
    """What one ingest measured."""

    enrolments: int
    seats: int
    raw: list[Figure]
    produced: float
    consumed: float
    decided: list[float]
    stored: dict[str, dict[str, int]]
    usage: list[Usage]


async def ingest(koos: Koos, count: int, editions: int, seats: int, writes: int, clients: int) -> Ingest:
    """Announce the editions, put the backlog on Kafka with registration stopped, then let it work it off."""
    servers = koos.servers
    announced = [edition(seats) for _ in range(editions)]
    ids = [str(e.edition_id) for e in announced]
    await publish(servers.kafka.connection(), [record(e) for e in announced])
    while not await offers_known(servers.mongo.url, ids):
        await asyncio.sleep(0.2)
    await asyncio.to_thread(koos.stack.stop, REGISTRATION)
    with console.status(f"publishing {count:,} enrolments…"):
        produced = await publish(servers.kafka.connection(), enrolments(announced, count))
        consumed = await consume_rate(servers.kafka.connection(), REGISTRATION_COMMANDS.name, count)
    async with DecisionWatcher(servers.kafka.connection(), ids) as watcher:
        await asyncio.to_thread(koos.stack.start, REGISTRATION)
        await watcher.wait_for(1, idle_timeout=120, what="first decision")
        sampler = Sampler(koos.watched())  # from the first decision on, as the rate
        sampler.start()
        await watcher.wait_for(count)
        usage = await sampler.stop()
    raw = await mongo_write_figures(servers.mongo.url, writes, clients)  # after: the server is warm, as it was
    return Ingest(count, seats, raw, produced, consumed, sorted(watcher.decided.values()),
                  await stored_registrations(servers.mongo.url, ids), usage)


def run(count: int, editions: int, seats: int, writes: int, clients: int) -> Ingest:
    """Start the servers and registration, ingest once."""
    with running_koos(services=["registration"], servers=["kafka", "mongo"]) as koos:
        return asyncio.run(ingest(koos, count, editions, seats, writes, clients))


def tables(result: Ingest) -> list[Table]:
    """The ingest rate beside the raw limits, and the CPU of each process."""
    decided = result.decided
    rate = (len(decided) - 1) / (decided[-1] - decided[0]) if len(decided) > 1 else math.nan
    inserts = next(f.value for f in result.raw if f.name == "Mongo-wire insert")
    bulk = next(f.value for f in result.raw if f.name == "Mongo-wire insert_many")
    stored = sum(sum(statuses.values()) for statuses in result.stored.values())
    confirmed = {e: s.get("confirmed", 0) for e, s in result.stored.items()}
    figures = [
        Figure("decided and stored", rate, "decisions/s",
               f"{len(decided):,} of {result.enrolments:,} decisions seen on Kafka, first → last; {stored:,} stored"),
        Figure("share of the slower raw limit", 100 * rate / min(result.consumed, inserts), "%",
               "decisions/s ÷ min(Kafka consume, Mongo-wire insert)", "≥ 50"),
        Figure("share of Kafka consume", 100 * rate / result.consumed, "%", ""),
        Figure("share of Mongo-wire insert", 100 * rate / inserts, "%", "one insert per call"),
        Figure("share of Mongo-wire insert_many", 100 * rate / bulk, "%", "bulk inserts"),
        Figure("raw Kafka consume of this backlog", result.consumed, "records/s", "a plain consumer group"),
        *result.raw,
        Figure("backlog published", result.produced, "records/s", "idempotent producer, linger 10 ms"),
        Figure("oversold", sum(max(0, c - result.seats) for c in confirmed.values()), "seats",
               f"{sum(confirmed.values()):,} confirmed in {len(confirmed)} editions of {result.seats:,} seats", "0"),
    ]
    title = f"Partner ingest: {result.enrolments:,} enrolments for {len(result.stored)} editions"
    return [figure_table(title, figures),
            usage_table(f"{title}: CPU and memory per process", {"first → last decision": result.usage},
                        len(decided))]


@app.command()
def main(enrolments: int = 100_000, editions: int = 10, seats: int = 10_000, writes: int = 5_000,
         clients: int = 32) -> None:
    """Ingest once and print the figures."""
    for table in tables(run(enrolments, editions, seats, writes, clients)):
        console.print(table)


if __name__ == "__main__":
    app()
