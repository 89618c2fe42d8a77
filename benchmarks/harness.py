"""Shared pieces of the benchmark scripts: private servers, timing, and printing figures."""

import socket
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.table import Table

from koos_cli.access.provision import provision_services
from koos_cli.servers import Servers, ServerSettings
from koos_cli.servers.readiness import run_coroutine

console = Console()


def free_ports(count: int) -> list[int]:
    """Ports nobody listens on right now."""
    sockets = [socket.socket() for _ in range(count)]
    for s in sockets:
        s.bind(("127.0.0.1", 0))
    ports = [s.getsockname()[1] for s in sockets]
    for s in sockets:
        s.close()
    return ports


def private_settings(state: Path) -> ServerSettings:
    """Server settings of one run: its own state dir and free ports, the usual jar cache."""
    kafka, controller, kafka_tls, mongo, smtp, smtp_api = free_ports(6)
    return ServerSettings(state, ServerSettings.from_env().cache_dir, kafka_port=kafka,
                          kafka_controller_port=controller, kafka_tls_port=kafka_tls, mongo_port=mongo,
                          smtp_port=smtp, smtp_api_port=smtp_api)


def provision(servers: Servers) -> None:
    """The services' Kafka users, the topics and their ACLs, as `koos up` makes them."""
    kafka = servers.kafka
    run_coroutine(lambda: provision_services(kafka.connection(), kafka.credentials.password))


@contextmanager
def private_servers() -> Iterator[Servers]:
    """Kafka, Mongo-wire and SMTP servers of this run only, stopped at the end."""
    with tempfile.TemporaryDirectory(prefix="koos-bench-") as state:
        servers = Servers(private_settings(Path(state)))
        with console.status("starting servers…") as status:
            servers.start_all(progress=status.update)
            provision(servers)
        try:
            yield servers
        finally:
            servers.stop_all()


@dataclass
class Figure:
    """One measured rate or latency."""

    name: str
    value: float
    unit: str
    detail: str = ""


class Stopwatch:
    """Seconds since start."""

    def __init__(self) -> None:
        self.started = time.perf_counter()

    def seconds(self) -> float:
        return time.perf_counter() - self.started


def show(title: str, figures: list[Figure]) -> None:
    """Print the figures as a table."""
    table = Table(title=title)
    for column in ("measure", "value", "unit", "how"):
        table.add_column(column)
    for figure in figures:
        table.add_row(figure.name, f"{figure.value:,.1f}", figure.unit, figure.detail)
    console.print(table)


def percentile(values: list[float], share: float) -> float:
    """The value below which `share` of the values fall."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]
