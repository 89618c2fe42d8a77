"""Raw rates of the servers with Koos's client settings: Kafka produce/consume, Mongo-wire writes."""

import asyncio
import os
import uuid

import typer
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from pymongo import AsyncMongoClient, ReturnDocument
from rich.progress import Progress

from benchmarks.harness import Figure, Stopwatch, private_servers, show
from koos_kit.messaging.security import KafkaConnection, aiokafka_options

app = typer.Typer(add_completion=False)
PAYLOAD = os.urandom(512).hex().encode()  # 1 KB


async def kafka_figures(connection: KafkaConnection, records: int) -> list[Figure]:
    """Produce with the project's producer settings (idempotent, acks=all, no linger, SASL/SCRAM), then consume."""
    topic = f"bench.{uuid.uuid4().hex[:8]}"
    admin = AIOKafkaAdminClient(**aiokafka_options(connection))
    await admin.start()
    await admin.create_topics([NewTopic(topic, 3, 1)])
    await admin.close()
    producer = AIOKafkaProducer(**aiokafka_options(connection), enable_idempotence=True, acks="all")
    await producer.start()
    watch = Stopwatch()
    with Progress() as progress:
        task = progress.add_task("producing", total=records)
        for start in range(0, records, 1000):
            futures = [await producer.send(topic, PAYLOAD, key=str(i).encode()) for i in range(start, start + 1000)]
            await asyncio.gather(*futures)
            progress.advance(task, 1000)
    produced = records / watch.seconds()
    awaited = await _awaited_each(producer, topic, 2000)
    await producer.stop()
    consumed = await _consume(connection, topic, records + 2000)
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


async def _consume(connection: KafkaConnection, topic: str, expected: int) -> float:
    consumer = AIOKafkaConsumer(topic, **aiokafka_options(connection), auto_offset_reset="earliest",
                                enable_auto_commit=False, group_id=f"bench-{uuid.uuid4().hex[:6]}")
    await consumer.start()
    seen, watch = 0, None
    while seen < expected:
        batch = await consumer.getmany(timeout_ms=1000, max_records=5000)
        watch = watch or Stopwatch()
        seen += sum(len(records) for records in batch.values())
    await consumer.stop()
    return expected / (watch.seconds() if watch else 1)


async def mongo_figures(url: str, writes: int, clients: int) -> list[Figure]:
    """Acknowledged inserts and guarded find-and-modify on one hot document, from concurrent clients."""
    client: AsyncMongoClient[dict[str, object]] = AsyncMongoClient(url, maxPoolSize=clients)
    things = client[f"bench_{uuid.uuid4().hex[:6]}"]["things"]
    inserts = await _concurrently(clients, writes, lambda i: things.insert_one({"_id": i, "payload": "x" * 200}))
    await things.insert_one({"_id": "seats", "free": writes})
    claims = await _concurrently(clients, writes, lambda i: things.find_one_and_update(
        {"_id": "seats", "free": {"$gt": 0}}, {"$inc": {"free": -1}}, return_document=ReturnDocument.BEFORE))
    left = (await things.find_one({"_id": "seats"}) or {}).get("free")
    await client.close()
    return [
        Figure("Mongo-wire insert", inserts, "writes/s", f"{writes} acknowledged, {clients} concurrent clients"),
        Figure("Mongo-wire find-and-modify", claims, "updates/s",
               f"{writes} guarded $inc on one document, {clients} clients; left {left} (0 expected)"),
    ]


async def _concurrently(clients: int, total: int, operation: object) -> float:
    queue = iter(range(total))

    async def worker() -> None:
        for i in queue:
            await operation(i)  # type: ignore[operator]

    watch = Stopwatch()
    await asyncio.gather(*(worker() for _ in range(clients)))
    return total / watch.seconds()


@app.command()
def main(records: int = 50_000, writes: int = 5_000, clients: int = 32) -> None:
    """Start private servers, measure, print the figures."""
    with private_servers() as servers:
        figures = asyncio.run(kafka_figures(servers.kafka.connection(), records))
        figures += asyncio.run(mongo_figures(servers.mongo.url, writes, clients))
    show("Koos servers on this machine", figures)


if __name__ == "__main__":
    app()
