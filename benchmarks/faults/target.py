"""The Koos under test, however it was started: where its gateway, broker, database and mailbox are, and the
processes the suite may kill (each service, the gateway, Kafka, the Mongo-wire server) and start again."""

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import httpx

from koos_cli.servers import DevServer
from koos_kit.messaging.security import KafkaConnection

if TYPE_CHECKING:
    from koos_cli.stack import ServiceSpec, Stack

SERVICE_KINDS = ("scheduling", "registration", "evaluation", "notifications", "gateway")
SERVER_KINDS = ("kafka", "mongo")


@dataclass(frozen=True)
class Part:
    """A process of the stack: `kill` is SIGKILL (a crash), `stop` a graceful shutdown; `start` waits until ready."""

    name: str
    kill: Callable[[], None]
    start: Callable[[], None]
    stop: Callable[[], None]


def server_part(server: DevServer) -> Part:
    return Part(server.name, server.kill9, lambda: server.start(timeout=180.0), server.stop)


@dataclass(frozen=True)
class Target:
    """Everything the suite drives and reads from the outside."""

    gateway_url: str
    staff_token: str
    kafka: KafkaConnection
    """An operator's connection (reads every topic, writes poison to the command topics)."""
    mongo_url: str
    registration_database: str
    maildir: Path
    topic_prefix: str
    parts: dict[str, Part]

    def topic(self, name: str) -> str:
        return self.topic_prefix + name


@contextmanager
def koos_target(registration_instances: int = 1) -> Iterator[Target]:
    """Private servers and every service as `koos up` starts them, for the command line; with more registration
    instances (`registration-2`, …) in its consumer group, each a part of its own."""
    from benchmarks.system import running_koos
    from koos_cli.stack import SERVICES

    with running_koos() as koos:
        specs = {spec.name: spec for spec in SERVICES}

        def service_part(name: str) -> Part:
            process = koos.stack.process(specs[name])
            return Part(name, process.kill, lambda: koos.stack.start(specs[name]), lambda: koos.stack.stop(specs[name]))

        parts = {name: service_part(name) for name in SERVICE_KINDS}
        parts.update(kafka=server_part(koos.servers.kafka), mongo=server_part(koos.servers.mongo))
        more = [_another_instance(koos.stack, specs["registration"], n) for n in range(2, registration_instances + 1)]
        try:
            for part in more:
                part.start()
                parts[part.name] = part
            yield Target(specs["gateway"].url, koos.organiser_token(), koos.servers.kafka.connection(),
                         koos.servers.mongo.url, "koos_registration", koos.servers.smtp.maildir, "", parts)
        finally:
            for part in more:
                part.stop()


def _another_instance(stack: "Stack", spec: "ServiceSpec", number: int) -> Part:
    """One more process of a service, in the same consumer group, on a port of its own."""
    from benchmarks.harness import free_ports
    from koos_cli.servers.process import ManagedProcess

    name, port = f"{spec.name}-{number}", free_ports(1)[0]

    def ready() -> bool:
        try:
            return httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=2.0).status_code == 200
        except httpx.HTTPError:
            return False

    process = ManagedProcess(name, stack.home / f"{name}.pid", stack.home / "logs" / f"{name}.log",
                             marker=f"-m {spec.module}", health=ready)

    def start() -> None:
        environment = {**stack.environment(spec), "KOOS_HTTP_PORT": str(port)}
        process.launch([sys.executable, "-m", spec.module], env=environment)
        process.wait_ready(90.0)

    return Part(name, process.kill, start, lambda: process.stop(timeout=20.0))
