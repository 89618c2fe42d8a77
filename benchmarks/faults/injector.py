"""Faults at random points of the rush, and how long Koos took to recover from each: the process is killed
(SIGKILL) or stopped, stays down a moment, is started again; then a fresh sign-up on the probe edition must be
decided and mailed — the time from the fault to that mail is the recovery."""

import asyncio
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from benchmarks.faults.mailbox import Mailbox
from benchmarks.faults.rush import EditionRush
from benchmarks.faults.target import Target
from benchmarks.faults.watch import RegistrationEvents


@dataclass(frozen=True)
class Fault:
    """R1 kill -9 a process; R2 restart the broker; R3 restart the database."""

    round: str
    part: str
    how: str

    @property
    def label(self) -> str:
        return f"{self.round} {self.how} {self.part}"


def plan_faults(kinds: tuple[str, ...], rounds: int, broker_restarts: int, database_restarts: int,
                rng: random.Random) -> list[Fault]:
    """Every fault of a run, in a random order."""
    faults = [Fault("R1", kind, "kill -9") for kind in kinds for _ in range(rounds)]
    faults += [Fault("R2", "kafka", "restart")] * broker_restarts
    faults += [Fault("R3", "mongo", "restart")] * database_restarts
    rng.shuffle(faults)
    return faults


@dataclass(frozen=True)
class Recovery:
    fault: Fault
    back_after: float
    """Seconds from the fault until the process answered its health check again."""
    decided_after: float | None
    """Seconds from the fault until a sign-up sent after the restart was decided (None: never)."""
    mailed_after: float | None
    """… and its confirmation was in the mailbox."""


@dataclass
class Injector:
    target: Target
    faults: list[Fault]
    probe: EditionRush
    events: RegistrationEvents
    mailbox: Mailbox
    rng: random.Random
    gap: tuple[float, float]
    down: tuple[float, float] = (0.0, 2.0)
    timeout: float = 180.0
    on_fault: Callable[[Fault], None] = lambda fault: None
    recoveries: list[Recovery] = field(default_factory=list)
    done: bool = False

    async def run(self) -> None:
        try:
            for number, fault in enumerate(self.faults):
                await asyncio.sleep(self.rng.uniform(*self.gap))
                await self._inject(fault, number)
                self.on_fault(fault)
        finally:
            self.done = True

    async def _inject(self, fault: Fault, number: int) -> None:
        part = self.target.parts[fault.part]
        started = time.monotonic()
        try:
            await asyncio.to_thread(part.kill if fault.how == "kill -9" else part.stop)
            await asyncio.sleep(self.rng.uniform(*self.down))
        finally:  # also when the run is interrupted: nothing is left down
            await asyncio.to_thread(part.start)
        back = time.monotonic() - started
        email = f"probe-{number}@{self.mailbox.domain}"
        sent = await self.probe.gateway.sign_up(self.probe.edition_id, email, "Proov Õnne")
        self.probe.people[sent.registration_id] = email
        self.probe.expected.register(sent.registration_id)
        decided = mailed = None
        if await self.events.until_decided([sent.registration_id], self.timeout):
            decided = time.monotonic() - started
            if await _mailed(self.mailbox, email, self.timeout):
                mailed = time.monotonic() - started
        self.recoveries.append(Recovery(fault, back, decided, mailed))


async def _mailed(mailbox: Mailbox, email: str, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while not mailbox.to(email):
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(0.2)
    return True
