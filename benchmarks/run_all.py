"""Every benchmark of issue 9, one after another, then all their tables together (what `make benchmark` runs).

Raw limits of the servers, the rush at 64 and 200 in flight, partner bulk ingest, and — when sizes are
given — cost growth. Each part starts its own private servers and stops them before the next begins.
Run: `.venv/bin/python -m benchmarks.run_all [--applicants 10000] [--enrolments 100000] [--growth 1000 ...]`.
"""

from typing import Annotated

import typer
from rich.rule import Rule
from rich.table import Table

from benchmarks import cost_growth, infrastructure, partner_ingest, rush
from benchmarks.harness import Stopwatch, console

app = typer.Typer(add_completion=False)


def _printed(part: str, shown: list[Table]) -> list[Table]:
    console.print(Rule(part))
    for table in shown:
        console.print(table)
    return shown


@app.command()
def main(applicants: int = 10_000, capacity: int = 100,
         concurrency: Annotated[list[int] | None, typer.Option(help="rush in flight; repeat")] = None,
         enrolments: int = 100_000, editions: int = 10, seats: int = 10_000,
         records: int = 50_000, writes: int = 5_000, clients: int = 32, mail_timeout: float = 600.0,
         warm_up: int = 0,
         growth: Annotated[list[int] | None, typer.Option(help="cost-growth sizes; repeat (none: skipped)")] = None,
         ) -> None:
    """Run every benchmark with these sizes and print every table."""
    watch, concurrencies = Stopwatch(), concurrency or [64, 200]
    shown = _printed("raw limits", infrastructure.measure(records, writes, clients))
    shown += _printed("rush", rush.tables(rush.run(applicants, capacity, concurrencies, mail_timeout, warm_up)))
    shown += _printed("partner ingest", partner_ingest.tables(
        partner_ingest.run(enrolments, editions, seats, writes, clients)))
    if growth:
        shown += _printed("cost growth", cost_growth.measure(growth, capacity, max(concurrencies), mail_timeout,
                                                                warm_up))
    console.print(Rule(f"every figure ({watch.seconds() / 60:.1f} min)"))
    for table in shown:
        console.print(table)


if __name__ == "__main__":
    app()
