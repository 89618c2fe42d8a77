"""What the sign-up rate limit costs per decision: in memory (every key within its local share) and when a key
is past its share and each decision takes one round trip to the shared pool on the Mongo-wire server.

Run: `.venv/bin/python -m benchmarks.rate_limit [--decisions 200000] [--round-trips 5000] [--concurrency 32]`.
The rush (benchmarks.rush: 10,000 sign-ups from 127.0.0.1 under a huge limit) stays in the local share.
"""

import asyncio
import time
import uuid

import typer
from pymongo import AsyncMongoClient

from benchmarks.harness import Figure, show
from benchmarks.harness import private_servers as servers
from koos_gateway.adapters.rate_counts import LimitsPools, MongoCounters
from koos_gateway.domain.rate_limit import Quota, client_key
from koos_gateway.service_layer.rate_limits import MemoryPools, RateLimiter

app = typer.Typer(add_completion=False)


async def in_memory(decisions: int) -> list[Figure]:
    """Decisions that never leave the process: many addresses, and one address under a huge limit."""
    limiter = RateLimiter(Quota("sign-up", 120, 60, replicas=2), MemoryPools())
    addresses = [f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}" for n in range(decisions)]
    started = time.process_time()
    for address in addresses:
        await limiter.wait_needed(client_key(address))
    many = (time.process_time() - started) / decisions * 1e6
    rush = RateLimiter(Quota("sign-up", 10_000_000, 60, replicas=2), MemoryPools())
    started = time.process_time()
    for _ in range(decisions):
        await rush.wait_needed("ip4:127.0.0.1")
    one = (time.process_time() - started) / decisions * 1e6
    started = time.process_time()
    for n in range(decisions):
        client_key(f"2001:db8:{n % 65536:x}::1")
    ipv6 = (time.process_time() - started) / decisions * 1e6
    return [Figure("local share, a new address each", many, "µs CPU/decision",
                   f"{decisions:,} IPv4 addresses, key included"),
            Figure("local share, one address (the rush)", one, "µs CPU/decision", "limit 10,000,000/min"),
            Figure("IPv6 /64 key", ipv6, "µs CPU/address", "ipaddress")]


async def shared(mongo_url: str, round_trips: int, concurrency: int) -> list[Figure]:
    """Decisions of a key past its local share: one `$inc` upsert in the shared pool each."""
    client: AsyncMongoClient[dict[str, object]] = AsyncMongoClient(mongo_url, tz_aware=True)
    db = client[f"bench_rl_{uuid.uuid4().hex[:8]}"]
    counters = MongoCounters(db["rate_counts"])
    await counters.ensure_indexes()
    pools = LimitsPools(counters)
    quota = Quota("sign-up", 10 * round_trips, 60, replicas=2)
    for n in range(200):
        await pools.take(quota, f"warm-{n}", 0)
    started, cpu = time.perf_counter(), time.process_time()
    for _ in range(round_trips):
        await pools.take(quota, "ip4:192.0.2.1", 1)
    sequential = (time.perf_counter() - started) / round_trips * 1e6
    cpu_each = (time.process_time() - cpu) / round_trips * 1e6

    async def worker(offset: int) -> None:
        for n in range(round_trips // concurrency):
            await pools.take(quota, f"ip4:192.0.2.{(offset + n) % 200}", 2)

    started = time.perf_counter()
    await asyncio.gather(*(worker(w) for w in range(concurrency)))
    rate = (round_trips // concurrency) * concurrency / (time.perf_counter() - started)
    await client.drop_database(db.name)
    await client.close()
    return [Figure("shared pool, one round trip", sequential, "µs/decision", f"{round_trips:,} sequential"),
            Figure("shared pool, gateway CPU", cpu_each, "µs CPU/decision", "client side of the round trip"),
            Figure("shared pool, concurrent", rate, "decisions/s", f"{concurrency} in flight")]


@app.command()
def main(decisions: int = 200_000, round_trips: int = 5_000, concurrency: int = 32) -> None:
    """Print the figures."""
    show("Rate limit: in memory", asyncio.run(in_memory(decisions)))
    with servers(["mongo"]) as running:
        show("Rate limit: the shared pool on the Mongo-wire server",
             asyncio.run(shared(running.mongo.url, round_trips, concurrency)))


if __name__ == "__main__":
    app()
