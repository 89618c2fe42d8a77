"""A rush of applicants through the public sign-up: acceptance, decisions, latency, overselling, CPU, mail.

Starts private servers and every service (as `koos up` does); for each concurrency publishes a fresh edition
and sends every applicant through `POST /v1/public/editions/{id}/registrations` from the lean load generator
(a process of its own), while a header-only Kafka consumer timestamps each decision event. CPU and RSS of every
process are read from /proc from the first sign-up to the last decision, and on to the last mail delivered.
Run: `.venv/bin/python -m benchmarks.rush --applicants 2000 --concurrency 64 --concurrency 200`.
"""

import asyncio
import json
import math
import time
import uuid
from dataclasses import dataclass
from typing import Annotated

import typer
from rich.table import Table

from benchmarks.decisions import DecisionWatcher
from benchmarks.harness import Figure, console, figure_table, percentile, usage_table
from benchmarks.loadgen import Load, LoadResult, post_json, run_in_process
from benchmarks.mail import MailCounter
from benchmarks.processes import Sampler, Usage, total
from benchmarks.store import confirmed_seats
from benchmarks.system import GATEWAY, Koos, publish_edition, running_koos

app = typer.Typer(add_completion=False)
HOST = "127.0.0.1"
DECIDED, MAILED = "to last decision", "to last mail"


@dataclass
class RushResult:
    """What one rush measured; `accepted` maps each accepted registration id to its request's index."""

    applicants: int
    capacity: int
    concurrency: int
    load: LoadResult
    accepted: dict[str, int]
    decided: dict[str, float]
    repeated_decisions: int
    confirmed: int
    usage: dict[str, list[Usage]]
    harness_cpu: float
    mails: int
    last_mail: float | None

    @property
    def decisions(self) -> int:
        return sum(1 for registration in self.accepted if registration in self.decided)

    @property
    def started(self) -> float:
        return min(self.load.sent)

    @property
    def last_decision(self) -> float:
        return max((self.decided[r] for r in self.accepted if r in self.decided), default=math.nan)

    @property
    def decision_rate(self) -> float:
        """Decisions per second from the first sign-up sent to the last decision seen."""
        return self.decisions / (self.last_decision - self.started) if self.decisions else math.nan

    def deciding_ms(self) -> list[float]:
        """Per decided registration, milliseconds from its 201/202 to its decision on Kafka."""
        return [1000 * (self.decided[r] - self.load.answered[i]) for r, i in self.accepted.items()
                if r in self.decided]

    def cpu_per_decision_ms(self, phase: str, group: str | None) -> float:
        """CPU milliseconds per decision of a group of processes (all when None) in a phase."""
        return 1000 * total(self.usage[phase], group) / self.decisions if self.decisions else math.nan


def sign_up_requests(edition_id: str, applicants: int) -> list[bytes]:
    """One public sign-up per applicant, each with its own address."""
    run, path = uuid.uuid4().hex[:6], f"/v1/public/editions/{edition_id}/registrations"
    return [post_json(HOST, GATEWAY.port, path, {"email": f"applicant{n}@{run}.bench.example",
                                                 "name": f"Applicant {n}", "language": "en"})
            for n in range(applicants)]


def accepted_registrations(load: LoadResult) -> dict[str, int]:
    """The registration id of every sign-up the gateway accepted (201 or 202)."""
    return {json.loads(load.bodies[i])["registration_id"]: i for i, status in enumerate(load.status)
            if status in (201, 202)}


async def rush(koos: Koos, applicants: int, capacity: int, concurrency: int, mail_timeout: float) -> RushResult:
    """One rush on a fresh edition, measured from the first sign-up to the last mail."""
    edition_id = await publish_edition(koos, capacity)
    requests, mails = sign_up_requests(edition_id, applicants), MailCounter(koos.servers.smtp.maildir)
    sampler = Sampler(koos.watched())
    async with DecisionWatcher(koos.servers.kafka.connection(), [edition_id]) as watcher:
        harness_cpu = time.process_time()
        sampler.start()
        with console.status(f"{applicants:,} sign-ups, {concurrency} in flight…", refresh_per_second=2):
            load = await run_in_process(Load(HOST, GATEWAY.port, requests, concurrency))
        accepted = accepted_registrations(load)
        await watcher.wait_for(len(accepted))
        usage = {DECIDED: sampler.snapshot()}
        harness_cpu = time.process_time() - harness_cpu
    count, last_mail = await mails.wait_for(len(watcher.decided), mail_timeout)
    usage[MAILED] = await sampler.stop()
    return RushResult(applicants, capacity, concurrency, load, accepted, watcher.decided, watcher.repeated,
                      await confirmed_seats(koos.servers.mongo.url, edition_id), usage, harness_cpu, count, last_mail)


def run(applicants: int, capacity: int, concurrencies: list[int], mail_timeout: float,
        warm_up: int = 0) -> list[RushResult]:
    """Start Koos once and rush it at each concurrency in turn, each on a fresh edition (after an unreported
    rush of `warm_up` applicants, if any, so that the servers' JIT warm-up is not in the first figures)."""
    with running_koos() as koos:
        if warm_up:
            asyncio.run(rush(koos, warm_up, capacity, concurrencies[0], mail_timeout))
        return [asyncio.run(rush(koos, applicants, capacity, c, mail_timeout)) for c in concurrencies]


def figures(result: RushResult) -> list[Figure]:
    """Rates, latencies, overselling, CPU per decision and the mail, each with its goal."""
    load, start = result.load, result.started
    answered = [load.answered[i] for i in result.accepted.values()]
    answering = [1000 * (load.answered[i] - load.sent[i]) for i in result.accepted.values()]
    deciding = result.deciding_ms()
    refused = sum(1 for status in load.status if status not in (0, 201, 202))
    return [
        Figure("accepted at the gateway", len(answered) / (max(answered, default=start) - start or 1),
               "sign-ups/s", f"{len(answered):,} of {result.applicants:,} answered 201/202, {refused} refused, "
               f"{load.failed} failed, {load.resent} resent after a dropped connection"),
        Figure("sign-up answer p50", percentile(answering, 0.50), "ms", "request sent → 201/202 received"),
        Figure("sign-up answer p99", percentile(answering, 0.99), "ms", ""),
        Figure("decided", result.decision_rate, "decisions/s",
               f"{result.decisions:,} decisions seen on Kafka, first sign-up → last decision; "
               f"{result.repeated_decisions} repeated decision events", "≥ 500 (not resolved < 200)"),
        Figure("accepted → decided p50", percentile(deciding, 0.50), "ms", "201/202 received → decision on Kafka"),
        Figure("accepted → decided p95", percentile(deciding, 0.95), "ms", ""),
        Figure("accepted → decided p99", percentile(deciding, 0.99), "ms", "", "< 1,000 (not resolved ≥ 2,000)"),
        Figure("oversold", max(0, result.confirmed - result.capacity), "seats",
               f"{result.confirmed} confirmed in the registration store for {result.capacity} seats", "0"),
        Figure("Koos CPU per decision, to last decision", result.cpu_per_decision_ms(DECIDED, "koos"), "ms",
               "every service and the gateway", "≤ 5"),
        Figure("Koos CPU per decision, to last mail", result.cpu_per_decision_ms(MAILED, "koos"), "ms",
               "every service and the gateway, mail included", "≤ 5"),
        Figure("servers CPU per decision, to last mail", result.cpu_per_decision_ms(MAILED, "servers"), "ms",
               "Kafka, Mongo-wire, SMTP"),
        Figure("all processes CPU per decision, to last mail", result.cpu_per_decision_ms(MAILED, None), "ms",
               "Koos + servers"),
        Figure("load generator CPU per request", load.cpu_per_request_ms, "ms",
               f"{load.cpu_seconds:.2f} CPU s for {len(load.sent):,} requests over {load.connections} connections",
               "≪ 1"),
        Figure("benchmark process CPU per decision", 1000 * result.harness_cpu / (result.decisions or math.nan),
               "ms", "its decision watcher, /proc sampler and display, to last decision (not counted above)"),
        _mail_figure(result),
    ]


def _mail_figure(result: RushResult) -> Figure:
    if result.last_mail is None:
        return Figure("last mail delivered", math.nan, "s", "no mail arrived", "within a few minutes")
    return Figure("last mail delivered", result.last_mail - result.started, "s after the first sign-up",
                  f"{result.mails:,} mails for {len(result.decided):,} decisions, "
                  f"{result.last_mail - result.last_decision:,.1f} s after the last decision", "within a few minutes")


def tables(results: list[RushResult]) -> list[Table]:
    """For each rush, its figures and the CPU and memory of every process."""
    shown: list[Table] = []
    for r in results:
        title = f"Rush: {r.applicants:,} applicants for {r.capacity} seats, {r.concurrency} in flight"
        shown.append(figure_table(title, figures(r)))
        shown.append(usage_table(f"{title}: CPU and memory per process", r.usage, r.decisions))
    return shown


@app.command()
def main(applicants: int = 10_000, capacity: int = 100,
         concurrency: Annotated[list[int] | None, typer.Option(help="in flight; repeat for several runs")] = None,
         mail_timeout: float = 600.0, warm_up: int = 0) -> None:
    """Rush Koos at each concurrency (64 and 200 by default) and print the figures."""
    for table in tables(run(applicants, capacity, concurrency or [64, 200], mail_timeout, warm_up)):
        console.print(table)


if __name__ == "__main__":
    app()
