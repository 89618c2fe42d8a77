"""Koos as the benchmarks run it: private servers, the services (all or some), and the processes to measure."""

import asyncio
import os
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import httpx

from benchmarks.harness import console, free_ports, private_servers
from benchmarks.processes import Watched
from benchmarks.store import offers_known
from koos_cli.servers import Servers
from koos_cli.stack import SERVICES, ServiceSpec, Stack
from koos_cli.tokens import staff_token

ORGANISATION = "bench-kommune"
GATEWAY = next(spec for spec in SERVICES if spec.name == "gateway")


@dataclass(frozen=True)
class Koos:
    """Running servers and services of one benchmark."""

    servers: Servers
    stack: Stack
    services: tuple[ServiceSpec, ...]

    def watched(self) -> list[Watched]:
        """Every running service (group "koos") and server (group "servers"), by the pids they run under."""
        services = [Watched(spec.name, "koos", pid) for spec in self.services
                    if (pid := self.stack.process(spec).pid()) is not None]
        servers = [Watched(server.name, "servers", pid) for server in self.servers.all
                   if (pid := server.pid()) is not None]
        return services + servers

    def organiser_token(self) -> str:
        return staff_token(self.stack.jwt_secret(), organisation_id=ORGANISATION, role="organiser", subject="bench")


@contextmanager
def running_koos(services: Sequence[str] | None = None, servers: list[str] | None = None) -> Iterator[Koos]:
    """Private servers and the named services (all by default) on free ports; sign-ups are not rate-limited."""
    for spec, port in zip(SERVICES, free_ports(len(SERVICES)), strict=True):
        os.environ[f"KOOS_{spec.name.upper()}_PORT"] = str(port)
    os.environ["KOOS_SIGNUP_RATE_PER_MINUTE"] = str(10**9)
    chosen = tuple(spec for spec in SERVICES if services is None or spec.name in services)
    with private_servers(servers) as running:
        koos = Koos(running, Stack(running), chosen)
        try:
            with console.status("starting services…"):
                for spec in chosen:
                    koos.stack.start(spec)
            yield koos
        finally:
            for spec in reversed(chosen):
                koos.stack.stop(spec)


def edition_body(capacity: int) -> dict[str, object]:
    """An open course with one session next month, registration open now."""
    day = (datetime.now(UTC) + timedelta(days=30)).date().isoformat()
    return {"edition_id": str(uuid.uuid4()), "title": {"en": "Benchmark course"}, "timezone": "Europe/Tallinn",
            "starts_on": day, "ends_on": day, "capacity": capacity,
            "registration_opens_at": (datetime.now(UTC) - timedelta(hours=1)).isoformat(),
            "registration_closes_at": (datetime.now(UTC) + timedelta(days=20)).isoformat(),
            "sessions": [{"session_id": "s1", "date": day, "start": "09:00", "end": "12:00",
                          "venue": {"name": "Hall", "address": "Street 1", "city": "Tallinn"}}]}


async def publish_edition(koos: Koos, capacity: int, timeout: float = 60.0) -> str:
    """Publish an edition through the gateway; return its id once the gateway and registration both know it."""
    body = edition_body(capacity)
    edition_id = str(body["edition_id"])
    async with httpx.AsyncClient(base_url=GATEWAY.url, timeout=30) as client:
        answer = await client.post("/v1/editions", json=body,
                                   headers={"Authorization": f"Bearer {koos.organiser_token()}"})
        if answer.status_code != 201:
            raise RuntimeError(f"publishing the edition failed: {answer.status_code} {answer.text}")
        deadline = time.monotonic() + timeout
        while not (await client.get(f"/v1/public/editions/{edition_id}")).is_success or not await offers_known(
                koos.servers.mongo.url, [edition_id]):
            if time.monotonic() > deadline:
                raise RuntimeError(f"the edition was not published within {timeout:.0f} s")
            await asyncio.sleep(0.2)
    return edition_id
