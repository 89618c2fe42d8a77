"""Cost growth: the rush at growing sizes (1k, 10k, 100k applicants for 100 seats), CPU per decision for each.

Each size runs on fresh servers and services, so it starts from empty stores and its own collections grow
only with its own applicants. CPU per decision must stay flat as the size grows.
Run: `.venv/bin/python -m benchmarks.cost_growth --sizes 1000 --sizes 10000` (100k takes a while).
"""

from typing import Annotated

import typer
from rich.table import Table

from benchmarks.harness import console, percentile
from benchmarks.rush import DECIDED, MAILED, RushResult, run

app = typer.Typer(add_completion=False)


def row(result: RushResult) -> list[str]:
    """One size: rate, p99, CPU per decision of Koos / servers / all, load generator's CPU per request."""
    cpu = [result.cpu_per_decision_ms(DECIDED, "koos"), result.cpu_per_decision_ms(MAILED, "koos"),
           result.cpu_per_decision_ms(MAILED, "servers"), result.cpu_per_decision_ms(MAILED, None)]
    return [f"{result.applicants:,}", f"{result.decisions:,}", f"{result.decision_rate:,.1f}",
            f"{percentile(result.deciding_ms(), 0.99):,.0f}", *(f"{ms:,.2f}" for ms in cpu),
            f"{result.load.cpu_per_request_ms:,.3f}"]


def table(results: list[RushResult], concurrency: int) -> Table:
    """Every size in one table."""
    shown = Table(title=f"Cost growth: the rush at {concurrency} in flight, CPU ms per decision (goal: flat; "
                        "Koos ≤ 5)")
    for column in ("applicants", "decisions", "decisions/s", "p99 ms", "Koos to last decision",
                   "Koos to last mail", "servers to last mail", "all to last mail", "load generator ms/request"):
        shown.add_column(column, justify="right")
    for result in results:
        shown.add_row(*row(result))
    return shown


def measure(sizes: list[int], capacity: int, concurrency: int, mail_timeout: float, warm_up: int = 0) -> list[Table]:
    """One rush per size, each on fresh servers and services (after an unreported warm-up rush); the table."""
    return [table([run(size, capacity, [concurrency], mail_timeout, warm_up)[0] for size in sizes], concurrency)]


@app.command()
def main(sizes: Annotated[list[int] | None, typer.Option(help="applicants; repeat for several")] = None,
         capacity: int = 100, concurrency: int = 200, mail_timeout: float = 1800.0, warm_up: int = 0) -> None:
    """Rush once per size (1,000, 10,000 and 100,000 by default) and print CPU per decision for each."""
    for shown in measure(sizes or [1_000, 10_000, 100_000], capacity, concurrency, mail_timeout, warm_up):
        console.print(shown)


if __name__ == "__main__":
    app()
