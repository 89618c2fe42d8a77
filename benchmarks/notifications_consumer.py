"""How fast the notifications service plans confirmations (an edition with 6 reminders each), and mails them.

Starts private Kafka and Mongo-wire servers, publishes one edition (3 sessions, reminders 48 h and 2 h before
each) and a backlog of RegistrationConfirmed events, then starts the notifications service (send loops off, or
`--send-workers N` mailing a private SMTP dev server) and reads from its store how fast confirmations were planned
(first to last `created_at`) and mailed (first to last `sent_at`), unpaced unless `--send-rate N`. Run: `uv run
python -m benchmarks.notifications_consumer [--confirmations 3000] [--send-workers 4] [--send-rate 0]`.
"""

import asyncio
import os
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import typer
from aiokafka import AIOKafkaProducer
from pymongo import AsyncMongoClient

from benchmarks.harness import Figure, console, free_ports, private_settings, provision, show
from koos_cli.servers import Servers
from koos_cli.servers.process import ManagedProcess
from koos_contracts import Message, to_record, wrap
from koos_contracts.identity import registration_id_for
from koos_contracts.registration import RegistrationConfirmed
from koos_contracts.scheduling import EditionPublished, ScheduledSession
from koos_contracts.values import Participant, Venue
from koos_kit.messaging.security import KafkaConnection, aiokafka_options

app = typer.Typer(add_completion=False)
ORGANISATION = "bench-kommune"
HALL = Venue(name="Rådhuset", address="Rådhusplassen 1", city="Oslo")


def edition() -> EditionPublished:
    """An edition a month ahead: three sessions, reminders 48 h and 2 h before each."""
    start = (datetime.now(UTC) + timedelta(days=30)).replace(hour=7, minute=0, second=0, microsecond=0)
    sessions = tuple(ScheduledSession(session_id=f"s{i}", starts_at=start + timedelta(days=7 * i),
                                      ends_at=start + timedelta(days=7 * i, hours=3), venue=HALL) for i in range(3))
    return EditionPublished(edition_id=uuid.uuid4(), kind="open_course", title={"nb": "Tjenestedesign"},
                            description={}, timezone="Europe/Oslo", starts_on=start.date(),
                            ends_on=start.date() + timedelta(days=14), capacity=100_000,
                            registration_opens_at=start - timedelta(days=40), registration_closes_at=start,
                            sessions=sessions, reminder_offsets_minutes=(2880, 120), feedback_questions=())


def confirmation(published: EditionPublished, n: int) -> RegistrationConfirmed:
    person = Participant(person_id=f"person-{n}", email=f"p{n}@kommune.example", name=f"Åse Ødegård {n}",
                         language="nb")
    return RegistrationConfirmed(registration_id=registration_id_for(published.edition_id, person.email),
                                 edition_id=published.edition_id, participant=person, confirmed_at=datetime.now(UTC))


async def publish_backlog(kafka: KafkaConnection, published: EditionPublished, count: int) -> None:
    """The edition, then `count` confirmations, all on Kafka before the service starts (as the operator)."""
    producer = AIOKafkaProducer(**aiokafka_options(kafka), enable_idempotence=True, acks="all")
    await producer.start()
    messages: list[Message] = [published, *(confirmation(published, n) for n in range(count))]
    try:
        for start in range(0, len(messages), 1000):
            futures = [await _send(producer, m) for m in messages[start:start + 1000]]
            await asyncio.gather(*futures)
    finally:
        await producer.stop()


async def _send(producer: AIOKafkaProducer, message: Message) -> Any:
    key, value, headers = to_record(wrap(message, source="/bench", organisation_id=ORGANISATION))
    return await producer.send(message.topic.name, value, key=key, headers=headers)


def start_service(servers: Servers, home: Path, send_workers: int, send_rate: int = 0) -> ManagedProcess:
    """The notifications service, with `send_workers` sends side by side mailing the SMTP dev server (none: no
    mail), at most `send_rate` a second (0: as fast as it can)."""
    (port,) = free_ports(1)
    env = {**servers.kafka.connection("koos-notifications").environment(), "KOOS_MONGO_URL": servers.mongo.url,
           "KOOS_HTTP_PORT": str(port), "KOOS_SEND_WORKERS": str(send_workers),
           "KOOS_SEND_RATE_PER_SECOND": str(send_rate), "KOOS_LOG_FORMAT": "json",
           "KOOS_MONGO_DATABASE": "bench_notifications", "KOOS_SMTP_HOST": servers.smtp.host,
           "KOOS_SMTP_PORT": str(servers.smtp.port), "KOOS_SMTP_LOOKUP_URL": servers.smtp.api_url}
    process = ManagedProcess("notifications", home / "notifications.pid", home / "notifications.log",
                             marker="-m koos_notifications", health=lambda: True)
    process.launch([sys.executable, "-m", "koos_notifications"], env={**os.environ, **env})
    return process


@dataclass
class Measured:
    """What the store shows once every confirmation was planned."""

    planned_per_second: float
    reminders: int
    sent: int
    sent_per_second: float


async def measure(mongo_url: str, count: int, timeout: float) -> Measured:
    """Wait until `count` confirmations are stored; rates run from the first to the last one stored (or sent)."""
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(mongo_url, tz_aware=True)
    collection = client["bench_notifications"]["notifications"]
    confirmed = {"kind": "registration_confirmed"}
    deadline = time.monotonic() + timeout
    while await collection.count_documents(confirmed) < count and time.monotonic() < deadline:
        await asyncio.sleep(1)
    planned = await _rate(collection, confirmed, "created_at")
    sent = await _rate(collection, {"status": "sent"}, "sent_at")
    reminders = await collection.count_documents({"kind": "session_reminder"})
    await client.close()
    return Measured(planned[0], reminders, sent[1], sent[0])


async def _rate(collection: Any, query: dict[str, Any], field: str) -> tuple[float, int]:
    first = await collection.find_one(query, sort=[(field, 1)])
    last = await collection.find_one(query, sort=[(field, -1)])
    count = await collection.count_documents(query)
    if not first or count < 2:
        return 0.0, count
    return (count - 1) / (last[field] - first[field]).total_seconds(), count


def run(servers: Servers, state: Path, confirmations: int, send_workers: int, timeout: float,
        send_rate: int = 0) -> Measured:
    """The backlog on Kafka, then the service working it off."""
    with console.status("starting Kafka and the Mongo-wire server…"):
        servers.kafka.start()
        provision(servers)
        servers.mongo.start()
        if send_workers:
            servers.smtp.start()
    asyncio.run(publish_backlog(servers.kafka.connection(), edition(), confirmations))
    service = start_service(servers, state, send_workers, send_rate)
    try:
        with console.status(f"planning {confirmations:,} confirmations…"):
            return asyncio.run(measure(servers.mongo.url, confirmations, timeout))
    finally:
        service.stop()


@app.command()
def main(confirmations: int = 3000, send_workers: int = 0, timeout: float = 600.0, send_rate: int = 0) -> None:
    """Plan a backlog of confirmations once (mailing them meanwhile if `send_workers`, at most `send_rate` a
    second, 0: unlimited) and print the rates."""
    with tempfile.TemporaryDirectory(prefix="koos-bench-") as state:
        servers = Servers(private_settings(Path(state)))
        try:
            measured = run(servers, Path(state), confirmations, send_workers, timeout, send_rate)
        finally:
            servers.stop_all()
    show(f"Notifications service: {confirmations:,} confirmations, {send_workers} sends side by side", [
        Figure("confirmations planned", measured.planned_per_second, "events/s",
               f"{measured.reminders:,} reminders stored with them"),
        Figure("mails sent meanwhile", measured.sent_per_second, "mails/s", f"{measured.sent:,} sent"),
    ])


if __name__ == "__main__":
    app()
