"""One run of the suite: publish the editions, rush them while the faults and the poison come, let Koos settle,
then check everything from the outside and return the table's rows."""

import asyncio
import random
import statistics
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx

from benchmarks.faults import checks
from benchmarks.faults.checks import Check
from benchmarks.faults.injector import Fault, Injector, Recovery, plan_faults
from benchmarks.faults.mailbox import Mailbox
from benchmarks.faults.model import ExpectedLists
from benchmarks.faults.poison import PoisonSender, dead_letters
from benchmarks.faults.rush import EditionRush, Gateway, Traffic
from benchmarks.faults.target import SERVER_KINDS, SERVICE_KINDS, Target
from benchmarks.faults.watch import RegistrationEvents, registration_events
from koos_contracts.topics import (
    EVALUATION_COMMANDS,
    NOTIFICATION_COMMANDS,
    REGISTRATION_COMMANDS,
    REGISTRATIONS,
    SCHEDULING_COMMANDS,
)

COMMAND_TOPICS = (SCHEDULING_COMMANDS, REGISTRATION_COMMANDS, EVALUATION_COMMANDS, NOTIFICATION_COMMANDS)


@dataclass(frozen=True)
class Plan:
    """How hard a run is: rounds of each fault, poison records, and the rush's size."""

    rounds: int = 20
    """R1: kills of each process kind."""
    broker_restarts: int = 3
    database_restarts: int = 3
    poison: int = 10_000
    poison_families: tuple[str, ...] = ()
    """Which kinds of poison (all when empty)."""
    kinds: tuple[str, ...] = SERVICE_KINDS + SERVER_KINDS
    editions: int = 3
    capacity: int = 40
    at_least: int = 150
    """Sign-ups per edition at least (the rush goes on until the last fault has been recovered from)."""
    cancel_share: float = 0.12
    gap: tuple[float, float] = (1.0, 4.0)
    """Seconds between faults (a random point in this range)."""
    stall_bound: float = 120.0
    """Seconds no accepted sign-up may wait for its decision, faults included."""
    settle_timeout: float = 600.0
    seed: int = 0


@dataclass
class Result:
    plan: Plan
    checks: list[Check]
    recoveries: list[Recovery]
    stalls: dict[int, float]
    seconds: float
    faults: list[Fault] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(check.ok for check in self.checks)


Progress = Callable[[str, int, int], None]
"""(task, done, total)."""


async def run(target: Target, plan: Plan, progress: Progress = lambda task, done, total: None) -> Result:
    rng = random.Random(plan.seed or None)
    started, run_id = time.monotonic(), uuid.uuid4().hex[:8]
    mailbox, traffic = Mailbox(target.maildir, f"{run_id}.faults.example"), Traffic()
    faults = plan_faults(plan.kinds, plan.rounds, plan.broker_restarts, plan.database_restarts, rng)
    async with (httpx.AsyncClient(base_url=target.gateway_url, timeout=15.0) as client,
                registration_events(target.kafka, target.topic(REGISTRATIONS.name)) as events):
        gateway = Gateway(client, target.staff_token, traffic, patience=plan.settle_timeout)
        rushes = [await _edition(gateway, events, plan.capacity) for _ in range(plan.editions)]
        probe = await _edition(gateway, events, 100_000, probe=True)
        injector = Injector(target, faults, probe, events, mailbox, rng, plan.gap,
                            on_fault=lambda f: progress("faults", len(injector.recoveries), len(faults)))
        sender = PoisonSender(target.kafka, target.topic_prefix, run_id, rng, families=plan.poison_families)
        progress("faults", 0, len(faults))
        work = [rush.run(mailbox.domain, f"e{n}", plan.at_least, lambda: not injector.done, plan.cancel_share,
                         random.Random(rng.random())) for n, rush in enumerate(rushes)]
        expected_seconds = max(30.0, len(faults) * 12.0)
        outcomes = await asyncio.gather(injector.run(), sender.send(plan.poison, [r.edition_id for r in rushes],
                                                                    expected_seconds), *work, return_exceptions=True)
        errors = [o for o in outcomes if isinstance(o, BaseException)]
        everyone = [*rushes, probe]
        progress("settling", 0, 1)
        await events.until_decided([r for rush in everyone for r in rush.people], plan.settle_timeout)
        await _settled(lambda: all(c.ok for c in checks.effects(everyone, events.events)), plan.settle_timeout)
        await _settled(lambda: checks.mails(mailbox, everyone, events.events)[0].ok, plan.settle_timeout)
        letters = await dead_letters(target.kafka, [target.topic(t.dlq) for t in COMMAND_TOPICS],
                                     {p.tag for p in sender.sent}, plan.settle_timeout)
        found = [*checks.commands(traffic, events.events), *checks.effects(everyone, events.events),
                 *await checks.store(target.mongo_url, target.registration_database, everyone),
                 *checks.mails(mailbox, everyone, events.events), *checks.poison(sender.sent, letters)]
        stalls = _stalls(traffic, events)
        found += _recovery_checks(injector.recoveries, faults, stalls, plan.stall_bound, errors)
    return Result(plan, found, injector.recoveries, stalls, time.monotonic() - started, faults)


async def _edition(gateway: Gateway, events: RegistrationEvents, capacity: int, probe: bool = False) -> EditionRush:
    edition_id = await gateway.publish(capacity)
    events.follow(edition_id)
    return EditionRush(gateway, edition_id, ExpectedLists(capacity), probe=probe)


async def _settled(condition: Callable[[], bool], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        await asyncio.sleep(1.0)


def _stalls(traffic: Traffic, events: RegistrationEvents) -> dict[int, float]:
    """Per partition of the registrations topic, the longest an accepted sign-up waited for its decision."""
    partition = {e.edition: e.partition for e in events.events}
    longest: dict[int, float] = {}
    for sent in traffic.accepted:
        if sent.kind == "sign-up" and sent.registration_id in events.decided:
            waited = max(0.0, events.decided[sent.registration_id] - sent.at)
            key = partition.get(sent.edition_id, -1)
            longest[key] = max(longest.get(key, 0.0), waited)
    return longest


def _recovery_checks(recoveries: list[Recovery], faults: list[Fault], stalls: dict[int, float], bound: float,
                     errors: list[BaseException]) -> list[Check]:
    unrecovered = [r for r in recoveries if r.mailed_after is None]
    worst = max(stalls.values(), default=0.0)
    mailed = [r.mailed_after for r in recoveries if r.mailed_after is not None]
    return [
        Check("faults injected", f"{len(recoveries)} of {len(faults)}",
              f"every one recovered from (a sign-up after it decided and mailed); {len(unrecovered)} not; "
              f"median {statistics.median(mailed) if mailed else float('nan'):.1f} s, "
              f"slowest {max(mailed, default=float('nan')):.1f} s"
              + "".join(f"; {type(e).__name__}: {e}" for e in errors),
              len(recoveries) == len(faults) and not unrecovered and not errors),
        Check("longest partition stall", f"{worst:.1f} s", f"an accepted sign-up's longest wait for its decision, "
              f"per partition {', '.join(f'{p}: {s:.1f}' for p, s in sorted(stalls.items()))}; bound {bound:.0f} s",
              worst <= bound),
    ]
