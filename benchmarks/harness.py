"""Shared pieces of the benchmark scripts: private servers, timing, and printing figures."""

import math
import socket
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.table import Table

from benchmarks.processes import Usage, total
from koos_cli.access.provision import provision_services
from koos_cli.servers import Servers, ServerSettings
from koos_cli.servers.readiness import run_coroutine

console = Console(width=None if sys.stdout.isatty() else 200)  # wide tables in logs too


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
def private_servers(names: list[str] | None = None) -> Iterator[Servers]:
    """Kafka, Mongo-wire and SMTP servers (or those named) of this run only, stopped at the end."""
    with tempfile.TemporaryDirectory(prefix="koos-bench-") as state:
        servers = Servers(private_settings(Path(state)))
        try:
            with console.status("starting servers…") as status:
                servers.start_all(progress=status.update, names=names)
                if names is None or "kafka" in names:
                    provision(servers)
            yield servers
        finally:  # also when a start or the provisioning failed: nothing is left running
            servers.stop_all()


@dataclass
class Figure:
    """One measured rate or latency."""

    name: str
    value: float
    unit: str
    detail: str = ""
    goal: str = ""


class Stopwatch:
    """Seconds since start."""

    def __init__(self) -> None:
        self.started = time.perf_counter()

    def seconds(self) -> float:
        return time.perf_counter() - self.started


def figure_table(title: str, figures: Sequence[Figure]) -> Table:
    """The figures as a table, with a goal column when any figure has a goal."""
    goals = any(figure.goal for figure in figures)
    table = Table(title=title)
    for column in ("measure", "value", "unit", *(["goal"] if goals else []), "how"):
        table.add_column(column)
    for figure in figures:
        table.add_row(figure.name, f"{figure.value:,.1f}", figure.unit, *([figure.goal] if goals else []),
                      figure.detail)
    return table


def show(title: str, figures: Sequence[Figure]) -> None:
    """Print the figures as a table."""
    console.print(figure_table(title, figures))


def usage_table(title: str, phases: Mapping[str, Sequence[Usage]], decisions: int) -> Table:
    """CPU-seconds per process in each phase, also per 1,000 decisions (= ms per decision), peak RSS, totals."""
    table = Table(title=title)
    table.add_column("process")
    for phase in phases:
        table.add_column(f"CPU s {phase}", justify="right")
        table.add_column("per 1,000 decisions", justify="right")
    table.add_column("peak RSS MiB", justify="right")
    table.add_column("VmHWM MiB", justify="right")
    per_thousand = 1000 / max(1, decisions)

    def cpu_cells(seconds: Sequence[float]) -> list[str]:
        return [cell for value in seconds for cell in (f"{value:,.2f}", f"{value * per_thousand:,.2f}")]

    last = list(phases.values())[-1]
    for row, usage in enumerate(last):
        seconds = [usages[row].cpu_seconds for usages in phases.values()]
        table.add_row(f"{usage.name} ({usage.group})", *cpu_cells(seconds), f"{usage.peak_rss_mib:,.0f}",
                      f"{usage.hwm_mib:,.0f}")
    for group in [*dict.fromkeys(u.group for u in last), None]:
        table.add_row(f"[b]all {group or 'processes'}[/b]",
                      *cpu_cells([total(usages, group) for usages in phases.values()]), "", "")
    return table


def percentile(values: list[float], share: float) -> float:
    """The value below which `share` of the values fall (NaN when there are none)."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]
