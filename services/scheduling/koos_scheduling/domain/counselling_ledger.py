"""The rules of counselling in one place: a ledger of booked sessions that says whether one more may be booked.

The first-fit planner books through it, `check_plan` replays a whole plan through it (tests use it to prove the
solver's plans keep every rule), and the reasons for unmet sessions ask it what blocks each possible session.
"""

from collections import Counter
from collections.abc import Hashable, Iterable

from koos_scheduling.domain.counselling import Booking, CounsellingProblem
from koos_scheduling.domain.errors import ScheduleRefused
from koos_scheduling.domain.slot_grid import Limit

WHY = {
    "not_allowed": "the two may not meet then (not both free, or a conflict of interest)",
    "entitlement_used": "the team already has all the sessions it is entitled to",
    "trainer_busy": "the trainer is already booked then",
    "team_busy": "the team is already booked then",
    "trainer_limit": "the trainer's capacity for that period is used up",
    "team_limit": "the team already has as many sessions in that period as it may",
}


class Ledger:
    """Sessions booked so far, and what they leave free."""

    def __init__(self, problem: CounsellingProblem, bookings: Iterable[Booking] = ()) -> None:
        self.problem = problem
        self.bookings: list[Booking] = []
        self._allowed = frozenset(problem.options)
        self._busy: set[tuple[str, str, int]] = set()
        self._counts: Counter[tuple[str, str, str, Hashable]] = Counter()
        self._sessions: Counter[str] = Counter()
        for booking in bookings:
            self.book(booking)

    def refusal(self, booking: Booking) -> str | None:
        """The code (a key of WHY) of the first rule the session would break, or None if it may be booked."""
        if booking not in self._allowed:
            return "not_allowed"
        team = self.problem.team(booking.team_id)
        if self._sessions[booking.team_id] >= team.entitlement:
            return "entitlement_used"
        for kind, party, _ in self._parties(booking):
            if any((kind, party, s) in self._busy for s in booking.slots):
                return f"{kind}_busy"
        for kind, party, limits in self._parties(booking):
            if any(self._counts[self._key(kind, party, limit, booking)] >= limit.most for limit in limits):
                return f"{kind}_limit"
        return None

    def book(self, booking: Booking) -> None:
        if (code := self.refusal(booking)) is not None:
            raise ScheduleRefused(f"{describe(self.problem, booking)}: {WHY[code]}")
        self.bookings.append(booking)
        self._sessions[booking.team_id] += 1
        for kind, party, limits in self._parties(booking):
            self._busy.update((kind, party, s) for s in booking.slots)
            for limit in limits:
                self._counts[self._key(kind, party, limit, booking)] += 1

    def sessions_of(self, team_id: str) -> int:
        return self._sessions[team_id]

    def _parties(self, booking: Booking) -> tuple[tuple[str, str, tuple[Limit, ...]], ...]:
        team = self.problem.team(booking.team_id)
        return (("team", booking.team_id, self.problem.limits_of(team)),
                ("trainer", booking.trainer_id, self.problem.trainer(booking.trainer_id).limits))

    def _key(self, kind: str, party: str, limit: Limit, booking: Booking) -> tuple[str, str, str, Hashable]:
        return kind, party, limit.per, self.problem.grid.period(booking.start, limit.per)


def check_plan(problem: CounsellingProblem, bookings: Iterable[Booking]) -> tuple[str, ...]:
    """Every rule a plan breaks, for a person to read; empty when the plan keeps them all."""
    ledger = Ledger(problem)
    broken = []
    for booking in bookings:
        try:
            ledger.book(booking)
        except ScheduleRefused as refused:
            broken.append(refused.reason)
    return tuple(broken)


def describe(problem: CounsellingProblem, booking: Booking) -> str:
    start = problem.grid.starts[booking.start]
    return f"the session of team {booking.team_id} with trainer {booking.trainer_id} at {start:%Y-%m-%d %H:%M}"
