"""A rush of applicants through the gateway: acceptance rate, decision rate, latency, overselling.

Starts private servers and every service (as `koos up` does), publishes one edition, then sends
applicants through the public sign-up endpoint while a consumer timestamps each decision event.
"""

import asyncio
import os
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import httpx
import typer
from aiokafka import AIOKafkaConsumer
from pymongo import AsyncMongoClient
from rich.progress import Progress

from benchmarks.harness import Figure, console, free_ports, percentile, private_servers, show
from koos_cli.stack import SERVICES, Stack
from koos_cli.tokens import staff_token
from koos_contracts import from_record
from koos_contracts.topics import REGISTRATIONS
from koos_kit.messaging.security import KafkaConnection, aiokafka_options

app = typer.Typer(add_completion=False)
ORGANISATION = "bench-kommune"
DECISIONS = {"koos.registration.RegistrationConfirmed.v1", "koos.registration.RegistrationWaitlisted.v1"}


@dataclass
class Timeline:
    """When each registration was accepted by the gateway and when its decision was published."""

    accepted: dict[str, float] = field(default_factory=dict)
    decided: dict[str, float] = field(default_factory=dict)
    refused_http: int = 0
    retried: int = 0


def edition_body(capacity: int) -> dict[str, object]:
    """An open course with one session next month."""
    day = (datetime.now(UTC) + timedelta(days=30)).date().isoformat()
    return {"edition_id": str(uuid.uuid4()), "title": {"en": "Benchmark course"}, "timezone": "Europe/Tallinn",
            "starts_on": day, "ends_on": day, "capacity": capacity,
            "registration_opens_at": (datetime.now(UTC) - timedelta(hours=1)).isoformat(),
            "registration_closes_at": (datetime.now(UTC) + timedelta(days=20)).isoformat(),
            "sessions": [{"session_id": "s1", "date": day, "start": "09:00", "end": "12:00",
                          "venue": {"name": "Hall", "address": "Street 1", "city": "Tallinn"}}]}


async def watch_decisions(kafka: KafkaConnection, timeline: Timeline, expected: int, stop: asyncio.Event) -> None:
    """Timestamp every decision event as it appears on Kafka."""
    consumer = AIOKafkaConsumer(REGISTRATIONS.name, **aiokafka_options(kafka), auto_offset_reset="latest",
                                enable_auto_commit=False)
    await consumer.start()
    try:
        while len(timeline.decided) < expected and not stop.is_set():
            batch = await consumer.getmany(timeout_ms=500)
            now = time.perf_counter()
            for record in (r for records in batch.values() for r in records):
                envelope = from_record(record.value, [(k, v or b"") for k, v in record.headers])
                if envelope.type in DECISIONS and envelope.subject:
                    timeline.decided.setdefault(envelope.subject, now)
    finally:
        await consumer.stop()


async def sign_up(client: httpx.AsyncClient, path: str, n: int, run: str, timeline: Timeline) -> None:
    """One applicant; the acceptance time is when the gateway answered 202."""
    body = {"email": f"applicant{n}@{run}.bench.example", "name": f"Applicant {n}", "language": "en"}
    answer = await _post_again_on_a_dropped_connection(client, path, body, timeline)
    if answer is not None and answer.status_code in (201, 202):
        timeline.accepted[answer.json()["registration_id"]] = time.perf_counter()
    else:
        timeline.refused_http += 1


async def _post_again_on_a_dropped_connection(client: httpx.AsyncClient, path: str, body: dict[str, str],
                                              timeline: Timeline) -> httpx.Response | None:
    """Signing up is idempotent (the registration id comes from the address), so a retry is safe."""
    for _ in range(3):
        try:
            return await client.post(path, json=body)
        except httpx.TransportError:
            timeline.retried += 1
            await asyncio.sleep(0.2)
    return None


async def rush(gateway: str, token: str, kafka: KafkaConnection, applicants: int, capacity: int,
               concurrency: int) -> tuple[Timeline, float, str]:
    """Publish an edition, then send every applicant with bounded concurrency."""
    timeline, run = Timeline(), uuid.uuid4().hex[:6]
    limits = httpx.Limits(max_connections=concurrency)
    async with httpx.AsyncClient(base_url=gateway, timeout=60, limits=limits) as client:
        body = edition_body(capacity)
        published = await client.post("/v1/editions", json=body, headers={"Authorization": f"Bearer {token}"})
        assert published.status_code == 201, published.text
        stop = asyncio.Event()
        watcher = asyncio.create_task(watch_decisions(kafka, timeline, applicants, stop))
        await asyncio.sleep(2)
        path = f"/v1/public/editions/{body['edition_id']}/registrations"
        started = time.perf_counter()
        await _send_all(client, path, applicants, concurrency, run, timeline)
        sending = time.perf_counter() - started
        await _wait_for_decisions(timeline, applicants, stop)
        await watcher
    return timeline, sending, str(body["edition_id"])


async def _send_all(client: httpx.AsyncClient, path: str, applicants: int, concurrency: int, run: str,
                    timeline: Timeline) -> None:
    queue = iter(range(applicants))
    with Progress(console=console) as progress:
        task = progress.add_task("applicants", total=applicants)

        async def worker() -> None:
            for n in queue:
                await sign_up(client, path, n, run, timeline)
                progress.advance(task)

        await asyncio.gather(*(worker() for _ in range(concurrency)))


async def _wait_for_decisions(timeline: Timeline, applicants: int, stop: asyncio.Event) -> None:
    with Progress(console=console) as progress:
        task = progress.add_task("decisions", total=applicants)
        idle_since = time.perf_counter()
        while len(timeline.decided) < len(timeline.accepted):
            before = len(timeline.decided)
            await asyncio.sleep(0.5)
            progress.update(task, completed=len(timeline.decided))
            idle_since = time.perf_counter() if len(timeline.decided) > before else idle_since
            if time.perf_counter() - idle_since > 60:
                break
    stop.set()


async def one_at_a_time(gateway: str, token: str, count: int) -> list[float]:
    """Milliseconds from request to decision for single registrations on an idle system (gateway waits)."""
    latencies: list[float] = []
    async with httpx.AsyncClient(base_url=gateway, timeout=60) as client:
        body = edition_body(count)
        published = await client.post("/v1/editions", json=body, headers={"Authorization": f"Bearer {token}"})
        assert published.status_code == 201, published.text
        path = f"/v1/public/editions/{body['edition_id']}/registrations"
        for n in range(count):
            started = time.perf_counter()
            answer = await client.post(path, params={"wait": 10},
                                       json={"email": f"single{n}@bench.example", "name": "Single", "language": "en"})
            assert answer.json()["status"] == "confirmed", answer.text
            latencies.append(1000 * (time.perf_counter() - started))
    return latencies


def single_figures(latencies: list[float]) -> list[Figure]:
    """One event at a time: gateway → Kafka → registration → store → Kafka → gateway read model."""
    return [
        Figure("one registration end to end", 1000 * len(latencies) / sum(latencies), "events/s",
               f"{len(latencies)} sequential, HTTP request to decision visible at the gateway"),
        Figure("one registration end to end p50", percentile(latencies, 0.5), "ms", ""),
        Figure("one registration end to end p95", percentile(latencies, 0.95), "ms", ""),
    ]


async def confirmed_count(mongo_url: str, edition_id: str) -> int:
    """How many hold a seat, as the registration service stored it."""
    client: AsyncMongoClient[dict[str, object]] = AsyncMongoClient(mongo_url)
    count = await client["koos_registration"]["registrations"].count_documents(
        {"edition_id": edition_id, "status": "confirmed"})
    await client.close()
    return count


def figures(timeline: Timeline, sending: float, capacity: int, confirmed: int) -> list[Figure]:
    """What the rush measured."""
    both = [k for k in timeline.accepted if k in timeline.decided]
    latencies = [1000 * (timeline.decided[k] - timeline.accepted[k]) for k in both]
    decided_span = max(timeline.decided.values()) - min(timeline.accepted.values())
    return [
        Figure("accepted at the gateway", len(timeline.accepted) / sending, "registrations/s",
               f"{len(timeline.accepted)} accepted, {timeline.refused_http} refused, "
               f"{timeline.retried} resent after a dropped connection"),
        Figure("decided", len(both) / decided_span, "decisions/s", f"{len(both)} decisions observed on Kafka"),
        Figure("accepted → decided p50", percentile(latencies, 0.50), "ms", ""),
        Figure("accepted → decided p95", percentile(latencies, 0.95), "ms", ""),
        Figure("accepted → decided p99", percentile(latencies, 0.99), "ms", ""),
        Figure("oversold", max(0, confirmed - capacity), "seats", f"{confirmed} confirmed for {capacity} seats"),
    ]


@app.command()
def main(applicants: int = 10_000, capacity: int = 100, concurrency: int = 64) -> None:
    """Run the rush once on this machine and print the figures."""
    ports = free_ports(len(SERVICES))
    for spec, port in zip(SERVICES, ports, strict=True):
        os.environ[f"KOOS_{spec.name.upper()}_PORT"] = str(port)
    os.environ["KOOS_SIGNUP_RATE_PER_MINUTE"] = str(10 * applicants)
    with private_servers() as servers:
        stack = Stack(servers)
        try:
            with console.status("starting services…"):
                for spec in SERVICES:
                    stack.start(spec)
            gateway = next(s for s in SERVICES if s.name == "gateway").url
            token = staff_token(stack.jwt_secret(), organisation_id=ORGANISATION, role="organiser", subject="bench")
            single = asyncio.run(one_at_a_time(gateway, token, 100))
            timeline, sending, edition_id = asyncio.run(
                rush(gateway, token, servers.kafka.connection(), applicants, capacity, concurrency))
            confirmed = asyncio.run(confirmed_count(servers.mongo.url, edition_id))
        finally:
            for spec in reversed(SERVICES):
                stack.stop(spec)
    show("One event through gateway → Kafka → service → store", single_figures(single))
    show(f"Rush of {applicants:,} applicants for {capacity} seats through the gateway",
         figures(timeline, sending, capacity, confirmed))


if __name__ == "__main__":
    app()
