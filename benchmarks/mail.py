"""Mail the SMTP dev server delivered into its Maildir since a moment, counted by file name."""

import asyncio
import os
import time
from pathlib import Path

from rich.progress import Progress

from benchmarks.harness import console


class MailCounter:
    """Counts the messages that arrived in a Maildir after it was made."""

    def __init__(self, maildir: Path) -> None:
        self.folders = [maildir / "new", maildir / "cur"]
        self.before = self._names()

    def _names(self) -> set[str]:
        return {f"{folder.name}/{name}" for folder in self.folders if folder.is_dir() for name in os.listdir(folder)}

    def arrived(self) -> set[str]:
        """The messages stored since this counter was made."""
        return self._names() - self.before

    def last_arrival(self, names: set[str]) -> float:
        """When the newest of these messages was written, on the `time.perf_counter()` clock."""
        newest = max((self.folders[0].parent / name).stat().st_mtime for name in names)
        return newest - (time.time() - time.perf_counter())

    async def wait_for(self, count: int, timeout: float) -> tuple[int, float | None]:
        """Wait until `count` messages arrived (or `timeout` s passed): how many did, and when the last one did."""
        deadline = time.perf_counter() + timeout
        with Progress(console=console, transient=True, refresh_per_second=2) as progress:
            task = progress.add_task("mails delivered", total=count)
            while len(arrived := self.arrived()) < count and time.perf_counter() < deadline:
                progress.update(task, completed=len(arrived))
                await asyncio.sleep(1.0)
        return len(arrived), self.last_arrival(arrived) if arrived else None
