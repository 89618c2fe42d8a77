"""`python -m benchmarks.faults`: the fault-injection suite on private servers; exits 1 on any loss or duplicate."""

import asyncio
import logging

import typer
from rich.progress import Progress, TaskID

from benchmarks.faults.report import checks_table, recovery_table
from benchmarks.faults.suite import Plan, run
from benchmarks.faults.target import SERVER_KINDS, SERVICE_KINDS, koos_target
from benchmarks.harness import console

app = typer.Typer(add_completion=False)


@app.command()
def main(rounds: int = typer.Option(20, help="R1: kill -9 rounds per process kind"),
         broker_restarts: int = typer.Option(3, help="R2: broker restarts mid-load"),
         database_restarts: int = typer.Option(3, help="R3: database restarts mid-load"),
         poison: int = typer.Option(10_000, help="R4: fuzzed poison records"),
         kinds: str = typer.Option(",".join(SERVICE_KINDS + SERVER_KINDS), help="processes R1 kills"),
         editions: int = 3, capacity: int = 40, at_least: int = typer.Option(150, help="sign-ups per edition"),
         stall_bound: float = typer.Option(120.0, help="seconds a sign-up may wait for its decision"),
         registration_instances: int = typer.Option(1, help="registration processes in its consumer group; the "
                                                    "others are parts `registration-2`, … to kill"),
         seed: int = typer.Option(0, help="0: a random run")) -> None:
    """Rush Koos while killing and restarting its processes and feeding it poison; check and print the table."""
    logging.getLogger("aiokafka").setLevel(logging.CRITICAL)  # the broker is down on purpose now and then
    plan = Plan(rounds=rounds, broker_restarts=broker_restarts, database_restarts=database_restarts, poison=poison,
                kinds=tuple(k for k in kinds.split(",") if k), editions=editions, capacity=capacity,
                at_least=at_least, stall_bound=stall_bound, seed=seed)
    with koos_target(registration_instances) as target, Progress(console=console, transient=True) as bars:
        tasks: dict[str, TaskID] = {}

        def progress(task: str, done: int, total: int) -> None:
            if task not in tasks:
                tasks[task] = bars.add_task(task, total=total)
            bars.update(tasks[task], completed=done, total=total)

        result = asyncio.run(run(target, plan, progress))
    console.print(checks_table(result))
    console.print(recovery_table(result))
    raise typer.Exit(0 if result.ok else 1)


if __name__ == "__main__":
    app()
