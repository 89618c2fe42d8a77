"""Raw rates of the servers with Koos's client settings: Kafka produce/consume, Mongo-wire writes.

Run: `.venv/bin/python -m benchmarks.infrastructure [--records 50000] [--writes 5000]`. The partner-ingest
benchmark reuses `consume_rate` and `mongo_write_figures` to measure the raw limits of its own run.
"""

import asyncio
import os
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import typer
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from pymongo import AsyncMongoClient, ReturnDocument
from rich.progress import Progress
from rich.table import Table

from benchmarks.harness import Figure, Stopwatch, console, figure_table, private_servers
from koos_kit.messaging.security import KafkaConnection, aiokafka_options

app = typer.Typer(add_completion=False)
PAYLOAD = os.urandom(512).hex().encode()  # 1 KB
BULK = 500
WARM_UP = 500  # writes before timing, so that a fresh JVM's start is not what is measured


async def kafka_figures(connection: KafkaConnection, records: int) -> list[Figure]:
    """Produce with the project's producer settings (idempotent, acks=all, no linger), then consume."""
    topic = f"bench.{uuid.uuid4().hex[:8]}"
    admin = AIOKafkaAdminClient(**aiokafka_options(connection))
    await admin.start()
    await admin.create_topics([NewTopic(topic, 3, 1)])
    await admin.close()
    producer = AIOKafkaProducer(**aiokafka_options(connection), enable_idempotence=True, acks="all")
    await producer.start()
    watch = Stopwatch()
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task("producing", total=records)
        for start in range(0, records, 1000):
            futures = [await producer.send(topic, PAYLOAD, key=str(i).encode()) for i in range(start, start + 1000)]
            await asyncio.gather(*futures)
            progress.advance(task, 1000)
    produced = records / watch.seconds()
    awaited = await _awaited_each(producer, topic, 2000)
    await producer.stop()
    consumed = await consume_rate(connection, topic, records + 2000)
    return [
        Figure("Kafka produce, batched", produced, "records/s", f"{records} × 1 KB, futures awaited per 1,000"),
        Figure("Kafka produce, each awaited", awaited, "records/s", "2,000 × 1 KB, send_and_wait one by one"),
        Figure("Kafka consume", consumed, "records/s", f"{records + 2000} records, getmany"),
    ]


async def _awaited_each(producer: AIOKafkaProducer, topic: str, count: int) -> float:
    watch = Stopwatch()
    for i in range(count):
        await producer.send_and_wait(topic, PAYLOAD, key=str(i).encode())
    return count / watch.seconds()


async def consume_rate(connection: KafkaConnection, topic: str, expected: int) -> float:
    """Records/s of a plain consumer group reading `expected` records of a topic from the start."""
    consumer = AIOKafkaConsumer(topic, **aiokafka_options(connection), auto_offset_reset="earliest",
                                enable_auto_commit=False, group_id=f"bench-{uuid.uuid4().hex[:6]}")
    await consumer.start()
    seen, first, watch = 0, 0, Stopwatch()
    while seen < expected:
        batch = await consumer.getmany(timeout_ms=1000, max_records=5000)
        if batch and not first:  # time from the first batch on, so that joining the group is not counted
            watch, first = Stopwatch(), sum(len(records) for records in batch.values())
        seen += sum(len(records) for records in batch.values())
    await consumer.stop()
    return (seen - first) / watch.seconds()


async def mongo_write_figures(url: str, writes: int, clients: int) -> list[Figure]:
    """Acknowledged inserts one by one and in bulk, and guarded find-and-modify on one hot document (warmed up)."""
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(url, maxPoolSize=clients)
    database = f"bench_{uuid.uuid4().hex[:6]}"
    things, bulk = client[database]["things"], client[database]["bulk"]
    await _concurrently(clients, WARM_UP, lambda i: client[database]["warm_up"].insert_one({"_id": i}))
    inserts = await _concurrently(clients, writes, lambda i: things.insert_one({"_id": i, "payload": "x" * 200}))
    batches = await _concurrently(clients, writes // BULK, lambda i: bulk.insert_many(
        [{"_id": f"{i}-{n}", "payload": "x" * 200} for n in range(BULK)], ordered=False))
    await things.insert_one({"_id": "seats", "free": writes})
    claims = await _concurrently(clients, writes, lambda i: things.find_one_and_update(
        {"_id": "seats", "free": {"$gt": 0}}, {"$inc": {"free": -1}}, return_document=ReturnDocument.BEFORE))
    left = (await things.find_one({"_id": "seats"}) or {}).get("free")
    await client.drop_database(database)
    await client.close()
    return [
        Figure("Mongo-wire insert", inserts, "writes/s", f"{writes} acknowledged, {clients} concurrent clients"),
        Figure("Mongo-wire insert_many", batches * BULK, "documents/s",
               f"{writes // BULK * BULK} in unordered batches of {BULK}, {clients} concurrent clients"),
        Figure("Mongo-wire find-and-modify", claims, "updates/s",
               f"{writes} guarded $inc on one document, {clients} clients; left {left} (0 expected)"),
    ]


async def _concurrently(clients: int, total: int, operation: Callable[[int], Awaitable[object]]) -> float:
    """Operations per second of `total` operations from `clients` concurrent callers."""
    queue = iter(range(total))

    async def worker() -> None:
        for i in queue:
            await operation(i)

    watch = Stopwatch()
    await asyncio.gather(*(worker() for _ in range(clients)))
    return total / watch.seconds()


def measure(records: int = 50_000, writes: int = 5_000, clients: int = 32) -> list[Table]:
    """Start private Kafka and Mongo-wire servers, measure them, return the table."""
    with private_servers(["kafka", "mongo"]) as servers:
        figures = asyncio.run(kafka_figures(servers.kafka.connection(), records))
        figures += asyncio.run(mongo_write_figures(servers.mongo.url, writes, clients))
    return [figure_table("Raw limits: Koos servers on this machine", figures)]


@app.command()
def main(records: int = 50_000, writes: int = 5_000, clients: int = 32) -> None:
    """Measure the raw rates once and print the figures."""
    for table in measure(records, writes, clients):
        console.print(table)


if __name__ == "__main__":
    app()
