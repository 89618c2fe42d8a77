"""A background process with a pid file, a log file and a health check."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from koos_cli.servers import pids
from koos_cli.servers.errors import StartError
from koos_cli.servers.readiness import wait_until


class ManagedProcess:
    """One detached server process, found again through its pid file and command-line marker."""

    def __init__(
        self,
        name: str,
        pid_file: Path,
        log_file: Path,
        marker: str,
        health: Callable[[], bool],
    ) -> None:
        self.name = name
        self.pid_file = pid_file
        self.log_file = log_file
        self.marker = marker
        self._health = health
        self._launched: int | None = None

    def pid(self) -> int | None:
        """Return the live pid, removing the pid file when it is stale."""
        pid = pids.read_pid(self.pid_file)
        if pid is not None and pids.is_alive(pid, self.marker):
            return pid
        self.pid_file.unlink(missing_ok=True)
        return None

    def is_healthy(self) -> bool:
        """Tell whether the process runs and answers its health check."""
        return self.pid() is not None and self._health()

    def launch(self, command: Sequence[str], env: Mapping[str, str] | None = None) -> int:
        """Start the process in its own session unless it already runs; return its pid."""
        running = self.pid()
        if running is not None:
            return running
        self.log_file.parent.mkdir(parents=True, exist_ok=True)
        with self.log_file.open("ab") as log:
            log.write(f"\n=== {time.strftime('%Y-%m-%d %H:%M:%S')} starting: {' '.join(command)}\n".encode())
            log.flush()
            child = subprocess.Popen(
                list(command),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                env=None if env is None else dict(env),
                start_new_session=True,
            )
        pids.adopt_child(child)
        pids.write_pid(self.pid_file, child.pid)
        self._launched = child.pid
        return child.pid

    def wait_ready(self, timeout: float, detail_log: Path | None = None) -> None:
        """Wait until the health check passes; raise StartError naming the logs otherwise."""
        if wait_until(self._ready_or_dead, timeout, interval=0.2) and self.pid() is not None:
            return
        logs = f"{self.log_file}" + (f" and {detail_log}" if detail_log not in (None, self.log_file) else "")
        state = self._failure(timeout)
        tails = [_tail(path) for path in dict.fromkeys([self.log_file, detail_log]) if path is not None]
        raise StartError(f"{self.name} {state}; see {logs}\n" + "\n".join(tail for tail in tails if tail))

    def _failure(self, timeout: float) -> str:
        if self.pid() is not None:
            return f"was not ready after {timeout:.0f} s"
        code = pids.exit_code(self._launched) if self._launched else None
        return "exited" if code is None else f"exited with code {code}"

    def _ready_or_dead(self) -> bool:
        return self.pid() is None or self._health()

    def stop(self, timeout: float = 30.0) -> None:
        """Send SIGTERM, then SIGKILL after timeout; remove the pid file."""
        pid = self.pid()
        if pid is not None:
            self._signal(pid, signal.SIGTERM)
            if not self._wait_gone(pid, timeout):
                self._signal(pid, signal.SIGKILL)
                self._wait_gone(pid, 10.0)
        self.pid_file.unlink(missing_ok=True)

    def kill(self) -> None:
        """SIGKILL the process and wait until it is gone; the pid file is left, as after a crash."""
        pid = self.pid()
        if pid is not None:
            self._signal(pid, signal.SIGKILL)
            self._wait_gone(pid, 10.0)

    def log_tail(self, lines: int = 20) -> str:
        """Return the last lines of the process log."""
        return _tail(self.log_file, lines)

    def _wait_gone(self, pid: int, timeout: float) -> bool:
        return wait_until(lambda: not pids.is_alive(pid, self.marker), timeout, interval=0.05)

    @staticmethod
    def _signal(pid: int, signum: signal.Signals) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signum)


def _tail(path: Path, lines: int = 15) -> str:
    try:
        text = path.read_text(errors="replace")
    except FileNotFoundError:
        return ""
    return "\n".join(f"  {path.name}| {line}" for line in text.splitlines()[-lines:])
