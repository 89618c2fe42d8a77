"""What every dev server offers: install, start, stop, kill and report its status."""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from koos_cli.servers.errors import StartError
from koos_cli.servers.process import ManagedProcess
from koos_cli.servers.readiness import port_open
from koos_cli.servers.settings import ServerSettings

Progress = Callable[[str], None]


def _silent(message: str) -> None:
    del message


@dataclass(frozen=True)
class ServerStatus:
    """A snapshot of one dev server."""

    name: str
    running: bool
    healthy: bool
    address: str
    version: str
    pid: int | None
    log_file: Path


class DevServer(ABC):
    """A dev server run as a detached process under settings.state_dir/<name>."""

    name: str = ""
    ready_timeout: float = 60.0

    def __init__(self, settings: ServerSettings) -> None:
        self.settings = settings
        self.home = settings.state_dir / self.name
        self.data_dir = self.home / "data"
        self.logs_dir = self.home / "logs"
        self.process = ManagedProcess(
            name=self.name,
            pid_file=self.home / f"{self.name}.pid",
            log_file=self.logs_dir / f"{self.name}.out",
            marker=self.marker(),
            health=self.check_health,
        )

    @property
    @abstractmethod
    def address(self) -> str:
        """Where clients connect, e.g. 127.0.0.1:19092."""

    @property
    @abstractmethod
    def version(self) -> str:
        """A human-readable name and version of the server software."""

    @property
    def log_file(self) -> Path:
        """The server's own log (its stdout and stderr unless it writes a separate one)."""
        return self.process.log_file

    @abstractmethod
    def marker(self) -> str:
        """A string only this instance's command line contains (usually a path in its home)."""

    @abstractmethod
    def command(self) -> Sequence[str]:
        """The command line that runs the server in the foreground."""

    @abstractmethod
    def check_health(self) -> bool:
        """Tell whether a client can use the server right now."""

    def install(self, progress: Progress | None = None) -> None:  # noqa: B027 - optional hook
        """Fetch or build whatever the server needs (cached); default: nothing."""

    def prepare(self, progress: Progress | None = None) -> None:
        """Create the data and log folders and any config before a start."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.logs_dir.mkdir(parents=True, exist_ok=True)

    def ports(self) -> tuple[int, ...]:
        """The TCP ports the server listens on."""
        return ()

    def _require_free_ports(self) -> None:
        busy = [port for port in self.ports() if port_open(self.settings.host, port)]
        if busy:
            raise StartError(f"{self.name}: port {busy[0]} on {self.settings.host} is used by another program")

    def environment(self) -> Mapping[str, str] | None:
        """The environment for the process; None inherits ours."""
        return None

    def launch(self, progress: Progress | None = None) -> None:
        """Install and prepare if needed, then start the process without waiting for it."""
        report = progress or _silent
        pid = self.process.pid()
        if pid is not None:
            report(f"{self.name}: already running (pid {pid})")
            return
        self._require_free_ports()
        self.install(report)
        self.prepare(report)
        report(f"{self.name}: starting {self.version}")
        self.process.launch(self.command(), self.environment())

    def wait_ready(self, progress: Progress | None = None, timeout: float | None = None) -> None:
        """Wait until the server answers; raise StartError pointing at the logs otherwise."""
        started = time.monotonic()
        self.process.wait_ready(timeout or self.ready_timeout, self.log_file)
        (progress or _silent)(f"{self.name}: ready at {self.address} ({time.monotonic() - started:.1f} s)")

    def start(self, progress: Progress | None = None, timeout: float | None = None) -> None:
        """Install if needed, start unless already running, and wait until ready."""
        self.launch(progress)
        self.wait_ready(progress, timeout)

    def stop(self, timeout: float = 30.0) -> None:
        """Stop gracefully (SIGTERM, then SIGKILL after timeout); a no-op when stopped."""
        self.process.stop(timeout)

    def kill9(self) -> None:
        """SIGKILL the server, as a crash would; the next start recovers."""
        self.process.kill()

    def pid(self) -> int | None:
        """The pid of the running server, or None."""
        return self.process.pid()

    def status(self) -> ServerStatus:
        """Report whether the server runs and answers."""
        pid = self.process.pid()
        healthy = pid is not None and self.check_health()
        return ServerStatus(
            self.name,
            pid is not None,
            healthy,
            self.address,
            self.version,
            pid,
            self.log_file,
        )
