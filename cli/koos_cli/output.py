"""How commands show what they found: a table for people, JSON for scripts; progress bars on stderr."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from enum import StrEnum
from typing import Any, Protocol

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

console = Console()
errors = Console(stderr=True)


class Format(StrEnum):
    TABLE = "table"
    JSON = "json"


OUTPUT = typer.Option(None, "--output", "-o", case_sensitive=False,
                      help="table (for people) or json (for scripts); the global --output applies otherwise.")

Columns = Sequence[tuple[str, str]]
"""(key in each row, column heading)"""


def emit_rows(rows: Sequence[Mapping[str, Any]], columns: Columns, output: Format, title: str | None = None) -> None:
    """Rows as a table, or as a JSON array of objects with the same keys."""
    if output is Format.JSON:
        emit_json(list(rows))
        return
    table = Table(*(heading for _, heading in columns), title=title)
    for row in rows:
        table.add_row(*(_cell(row.get(key)) for key, _ in columns))
    console.print(table)


def emit_json(value: Any) -> None:
    """One JSON document on stdout."""
    sys.stdout.write(json.dumps(value, indent=2, ensure_ascii=False, default=str) + "\n")


def emit_json_line(value: Any) -> None:
    """One JSON object on one line (JSON Lines, for record streams that may follow a topic)."""
    sys.stdout.write(json.dumps(value, ensure_ascii=False, default=str) + "\n")
    sys.stdout.flush()


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, list | tuple):
        return ",".join(map(str, value))
    return str(value)


class Tracker(Protocol):
    """What long work reports: a stage with its size, then steps done."""

    def stage(self, description: str, total: int | None) -> None: ...

    def advance(self, steps: int = 1) -> None: ...


class Silent:
    """A tracker that shows nothing."""

    def stage(self, description: str, total: int | None) -> None:
        return None

    def advance(self, steps: int = 1) -> None:
        return None


class Bar:
    """A rich progress bar on stderr, one task per stage; shown only on a terminal."""

    def __init__(self, progress: Progress) -> None:
        self._progress = progress
        self._task: Any = None
        self._total: int | None = None

    def stage(self, description: str, total: int | None) -> None:
        if self._task is not None:
            self._progress.update(self._task, completed=self._total or 0)
        self._task = self._progress.add_task(description, total=total)
        self._total = total

    def advance(self, steps: int = 1) -> None:
        if self._task is not None:
            self._progress.advance(self._task, steps)


@contextmanager
def progress() -> Iterator[Tracker]:
    """A tracker for long work: a bar on a terminal, nothing in a pipe."""
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  console=errors, transient=True, disable=not errors.is_terminal) as bar:
        yield Bar(bar)
