"""The mentoring phase's monthly sessions, planned by the counselling solver.

Each selected institution is a team that may meet only its own mentor (`Team.trainers`), once a month
(`Limit("month", 1)`), entitled to one session per month of the phase; a mentor meets at most two institutions a
day. Time is a grid of one-hour slots from 10:00 to 16:00 local time on the working days of the first full week
of each month of the phase, from the month after it starts (a small grid: the solver answers in about a second).
Until mentors and institutions state their free times, everybody is taken to be free within that grid; the solver
still keeps every mentor from being double-booked and gives each institution one session in each month.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from koos_scheduling.domain.counselling import CounsellingPlan, CounsellingProblem, Team, Trainer
from koos_scheduling.domain.counselling_solver import plan
from koos_scheduling.domain.slot_grid import Limit, SlotGrid
from koos_scheduling.domain.solving import SolveLimits

OPENS, CLOSES, SLOT_MINUTES = time(10), time(16), 60
LIMITS = SolveLimits(time_limit_s=10)


@dataclass(frozen=True)
class Pair:
    application_id: str
    institution_id: str
    mentor_id: str


@dataclass(frozen=True)
class PlannedSession:
    application_id: str
    mentor_id: str
    starts_at: datetime
    ends_at: datetime


def grid_of(starts_on: date, months: int) -> SlotGrid:
    """One-hour slots of the first full working week of each of the `months` months after `starts_on`'s."""
    starts: list[datetime] = []
    for n in range(1, months + 1):
        first = date(starts_on.year + (starts_on.month - 1 + n) // 12, (starts_on.month - 1 + n) % 12 + 1, 1)
        monday = first + timedelta(days=(7 - first.weekday()) % 7)
        week = SlotGrid.working_days(monday, 1, OPENS, CLOSES, SLOT_MINUTES)
        starts += week.starts
    return SlotGrid(tuple(starts), SLOT_MINUTES)


def problem(pairs: list[Pair], starts_on: date, months: int) -> CounsellingProblem:
    grid = grid_of(starts_on, months)
    everyone = frozenset(range(len(grid.starts)))
    mentors = sorted({p.mentor_id for p in pairs})
    return CounsellingProblem(
        grid=grid,
        trainers=tuple(Trainer(m, f"mentor:{m}", everyone, (Limit("day", 2),)) for m in mentors),
        teams=tuple(Team(p.application_id, frozenset({p.institution_id}), months, everyone,
                         limits=(Limit("month", 1),), trainers=frozenset({p.mentor_id})) for p in pairs),
        length=1)


def monthly_sessions(pairs: list[Pair], starts_on: date, months: int, zone: str,
                     limits: SolveLimits = LIMITS) -> tuple[list[PlannedSession], CounsellingPlan]:
    """The sessions in the programme's time zone, in time order, and the solver's plan (status, unmet)."""
    question = problem(pairs, starts_on, months)
    answer = plan(question, limits)
    tz, length = ZoneInfo(zone), timedelta(minutes=SLOT_MINUTES)
    sessions = sorted((PlannedSession(b.team_id, b.trainer_id, question.grid.starts[b.start].replace(tzinfo=tz),
                                      question.grid.starts[b.start].replace(tzinfo=tz) + length)
                       for b in answer.bookings), key=lambda s: (s.starts_at, s.application_id))
    return sessions, answer
