"""Counselling booked by agreement: the input of the planners, the sessions they may book, and their answer.

A half's counselling is a grid of slots (the half-hours of working days, numbered 0, 1, 2, … in time order),
trainers who offer some of the slots, and teams, each entitled to a number of sessions, who state their free slots
and their preferences. A session is `length` consecutive slots of one day with one trainer and one team. Every
planner keeps these rules (`counselling_ledger` states them once, `check_plan` proves a plan keeps them):

- a trainer never counsels a team with a member from the trainer's own organisation, nor a declared conflict;
- a session lies within the trainer's and the team's free slots, and a team meets only its allowed trainers;
- nobody is double-booked: a trainer's sessions never overlap, nor do a team's;
- limits per day, week or month hold: a trainer's capacity (e.g. at most 2 a day, 3 a week) and a team's (by default
  one session a day, `CounsellingProblem.team_limits`; a team's own `limits` replace the default).

A team's preferences score a session: each preference it meets adds its weight. A preference names slots (met when
the whole session lies within them), a trainer, or both. The planners book as many sessions as they can, each team's
first session before anyone's second, and among those plans prefer the highest total score.

Where to go: `counselling_solver.plan` (CP-SAT, optimal or within a gap), `counselling_greedy.first_fit` (the
baseline), `counselling_replan.replan` (move one confirmed session), `counselling_reasons.explain` (why a team's
sessions are unmet), `counselling_ledger.check_plan` (the rules, replayed).
"""

from dataclasses import dataclass
from functools import cached_property

from koos_scheduling.domain.errors import ScheduleRefused
from koos_scheduling.domain.slot_grid import Limit, SlotGrid


@dataclass(frozen=True)
class Trainer:
    trainer_id: str
    organisation: str
    available: frozenset[int]
    limits: tuple[Limit, ...] = ()


@dataclass(frozen=True)
class Preference:
    """Adds `weight` to a session within `slots` (any, if empty) with `trainer_id` (any, if None)."""

    weight: int
    slots: frozenset[int] = frozenset()
    trainer_id: str | None = None


@dataclass(frozen=True)
class Team:
    """`organisations` are its members'; `trainers`, if given, are the only ones it may meet (e.g. its mentor)."""

    team_id: str
    organisations: frozenset[str]
    entitlement: int
    available: frozenset[int]
    preferences: tuple[Preference, ...] = ()
    limits: tuple[Limit, ...] | None = None
    trainers: frozenset[str] | None = None


@dataclass(frozen=True)
class CounsellingProblem:
    """`conflicts` holds declared (trainer id, team id) pairs that may not meet."""

    grid: SlotGrid
    trainers: tuple[Trainer, ...]
    teams: tuple[Team, ...]
    length: int = 2
    team_limits: tuple[Limit, ...] = (Limit("day", 1),)
    conflicts: frozenset[tuple[str, str]] = frozenset()

    def __post_init__(self) -> None:
        ids_of = {"trainer": [t.trainer_id for t in self.trainers], "team": [t.team_id for t in self.teams]}
        for kind, ids in ids_of.items():
            if len(set(ids)) < len(ids):
                raise ScheduleRefused(f"a {kind} id is used twice")
        if self.length < 1 or any(t.entitlement < 0 for t in self.teams):
            raise ScheduleRefused("a session lasts at least one slot and an entitlement is never negative")
        slots = len(self.grid.starts)
        for party in self._parties:
            if any(not 0 <= s < slots for s in party.available):
                raise ScheduleRefused(f"{_name(party)} is free in a slot outside the grid")

    def limits_of(self, team: Team) -> tuple[Limit, ...]:
        return self.team_limits if team.limits is None else team.limits

    def conflict(self, trainer: Trainer, team: Team) -> str | None:
        """Why the trainer may not counsel the team, or None."""
        if trainer.organisation in team.organisations:
            return f"trainer {trainer.trainer_id} belongs to {trainer.organisation}, one of the team's organisations"
        if (trainer.trainer_id, team.team_id) in self.conflicts:
            return f"trainer {trainer.trainer_id} has declared a conflict with team {team.team_id}"
        if team.trainers is not None and trainer.trainer_id not in team.trainers:
            return f"team {team.team_id} meets only {', '.join(sorted(team.trainers))}"
        return None

    @cached_property
    def options(self) -> tuple["Booking", ...]:
        """Every session the rules allow on its own: eligible pairs, both free, in time order per team."""
        starts = self.grid.session_starts(self.length)
        free = {id(p): {s for s in starts if all(s + i in p.available for i in range(self.length))}
                for p in self._parties}
        return tuple(Booking(team.team_id, trainer.trainer_id, start, self.length)
                     for team in self.teams for start in sorted(free[id(team)])
                     for trainer in self.trainers
                     if start in free[id(trainer)] and self.conflict(trainer, team) is None)

    @cached_property
    def options_by_team(self) -> dict[str, tuple["Booking", ...]]:
        grouped: dict[str, list[Booking]] = {t.team_id: [] for t in self.teams}
        for option in self.options:
            grouped[option.team_id].append(option)
        return {team_id: tuple(options) for team_id, options in grouped.items()}

    def score(self, booking: "Booking") -> int:
        """The sum of the weights of the team's preferences the session meets."""
        team = self.team(booking.team_id)
        return sum(p.weight for p in team.preferences
                   if (p.trainer_id is None or p.trainer_id == booking.trainer_id)
                   and (not p.slots or all(s in p.slots for s in booking.slots)))

    def team(self, team_id: str) -> Team:
        return self._teams[team_id]

    def trainer(self, trainer_id: str) -> Trainer:
        return self._trainers[trainer_id]

    @cached_property
    def _parties(self) -> tuple["Trainer | Team", ...]:
        return (*self.trainers, *self.teams)

    @cached_property
    def _teams(self) -> dict[str, Team]:
        return {t.team_id: t for t in self.teams}

    @cached_property
    def _trainers(self) -> dict[str, Trainer]:
        return {t.trainer_id: t for t in self.trainers}


@dataclass(frozen=True, order=True)
class Booking:
    """A session: the team meets the trainer in slots `start` … `start + length - 1`."""

    team_id: str
    trainer_id: str
    start: int
    length: int

    @property
    def slots(self) -> range:
        return range(self.start, self.start + self.length)


@dataclass(frozen=True)
class Unmet:
    """Sessions a team is entitled to but did not get; `code` is stable, `reason` is for a person."""

    team_id: str
    missing: int
    code: str
    reason: str



@dataclass(frozen=True)
class CounsellingPlan:
    """`status` is "optimal" (gap 0), "feasible" (stopped at the gap or time limit), "first_fit" or "no_solution";
    `gap` is the relative distance of the preference score from the solver's bound (None for first fit)."""

    bookings: tuple[Booking, ...]
    unmet: tuple[Unmet, ...]
    status: str
    optimal: bool
    gap: float | None
    preference_score: int
    seconds: float

    @property
    def booked(self) -> int:
        return len(self.bookings)


def _name(party: Trainer | Team) -> str:
    return f"trainer {party.trainer_id}" if isinstance(party, Trainer) else f"team {party.team_id}"
