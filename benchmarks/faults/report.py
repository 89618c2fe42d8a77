"""The suite's tables: the checks, and the recovery after each kind of fault."""

import statistics
from collections import defaultdict

from rich.table import Table

from benchmarks.faults.suite import Result


def checks_table(result: Result) -> Table:
    plan = result.plan
    table = Table(title=f"Fault injection: {plan.rounds} kills per process kind, {plan.broker_restarts} broker and "
                        f"{plan.database_restarts} database restarts, {plan.poison:,} poison records "
                        f"({result.seconds:,.0f} s)")
    for column in ("check", "value", "how", "holds"):
        table.add_column(column)
    for check in result.checks:
        table.add_row(check.name, check.value, check.detail, "[green]yes[/green]" if check.ok else "[red]NO[/red]")
    return table


def recovery_table(result: Result) -> Table:
    """Per fault kind: how many, the seconds until the process was back, until a new sign-up was decided and
    until it was mailed (median and slowest)."""
    table = Table(title="Time to recover after each fault (seconds from the fault)")
    for column in ("fault", "rounds", "back p50", "back max", "decided p50", "decided max", "mailed p50",
                   "mailed max", "not recovered"):
        table.add_column(column, justify="right" if column != "fault" else "left")
    by_kind = defaultdict(list)
    for recovery in result.recoveries:
        by_kind[recovery.fault.label].append(recovery)
    for label, recoveries in sorted(by_kind.items()):
        cells: list[str] = []
        for values in ([r.back_after for r in recoveries], [r.decided_after for r in recoveries],
                       [r.mailed_after for r in recoveries]):
            known = [v for v in values if v is not None]
            cells += [f"{statistics.median(known):.1f}" if known else "–", f"{max(known):.1f}" if known else "–"]
        table.add_row(label, str(len(recoveries)), *cells,
                      str(sum(1 for r in recoveries if r.mailed_after is None)))
    return table
