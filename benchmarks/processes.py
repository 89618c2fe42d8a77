"""CPU and memory of running processes over a phase, read from /proc (Linux).

CPU is utime + stime of the whole process (all threads) from `/proc/<pid>/stat`; memory is VmRSS, sampled
periodically for the peak of the phase, and VmHWM (the peak since the process started) from
`/proc/<pid>/status`.
"""

import asyncio
import contextlib
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Watched:
    """A process to measure, with the group its figures are summed in (e.g. "koos", "servers")."""

    name: str
    group: str
    pid: int


@dataclass(frozen=True)
class Usage:
    """What one process used during a phase."""

    name: str
    group: str
    cpu_seconds: float
    peak_rss_mib: float
    hwm_mib: float


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU of a process so far; None when it is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2:].split()  # the name may hold spaces; fields after it start at "state"
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def memory_mib(pid: int) -> tuple[float, float] | None:
    """VmRSS and VmHWM of a process in MiB; None when it is gone."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    values = {line.split(":")[0]: int(line.split()[1]) / 1024 for line in status.splitlines()
              if line.startswith(("VmRSS:", "VmHWM:"))}
    return values.get("VmRSS", 0.0), values.get("VmHWM", 0.0)


class Sampler:
    """CPU since `start`, and peak RSS sampled every `interval` seconds, of some processes."""

    def __init__(self, processes: Sequence[Watched], interval: float = 0.5) -> None:
        self.processes = list(processes)
        self.interval = interval
        self._cpu_at_start: dict[int, float] = {}
        self._cpu_last: dict[int, float] = {}
        self._peak: dict[int, float] = {}
        self._hwm: dict[int, float] = {}
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        """Begin the phase (call from a running event loop)."""
        for process in self.processes:
            self._cpu_at_start[process.pid] = cpu_seconds(process.pid) or 0.0
            self._peak[process.pid] = 0.0
        self._sample()
        self._task = asyncio.get_running_loop().create_task(self._sample_periodically())

    def snapshot(self) -> list[Usage]:
        """What each process used since `start`, up to now."""
        self._sample()
        return [Usage(p.name, p.group, self._cpu_last.get(p.pid, 0.0) - self._cpu_at_start.get(p.pid, 0.0),
                      self._peak.get(p.pid, 0.0), self._hwm.get(p.pid, 0.0)) for p in self.processes]

    async def stop(self) -> list[Usage]:
        """End the phase; what each process used during it."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        return self.snapshot()

    async def _sample_periodically(self) -> None:
        while True:
            await asyncio.sleep(self.interval)
            self._sample()

    def _sample(self) -> None:
        for process in self.processes:
            if (cpu := cpu_seconds(process.pid)) is not None:
                self._cpu_last[process.pid] = cpu
            if (memory := memory_mib(process.pid)) is not None:
                self._peak[process.pid] = max(self._peak.get(process.pid, 0.0), memory[0])
                self._hwm[process.pid] = memory[1]


def total(usages: Sequence[Usage], group: str | None = None) -> float:
    """CPU-seconds of a group of processes (every process when group is None)."""
    return sum(u.cpu_seconds for u in usages if group is None or u.group == group)
