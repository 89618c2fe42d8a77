"""Small counselling halves for the tests: two working weeks from Monday 7 March 2016, half-hour slots 09–17."""

from dataclasses import replace
from datetime import date, time

from koos_scheduling.domain.counselling import CounsellingProblem, Preference, Team, Trainer
from koos_scheduling.domain.slot_grid import Limit, SlotGrid
from koos_scheduling.domain.solving import SolveLimits

GRID = SlotGrid.working_days(date(2016, 3, 7), weeks=2)
FAST = SolveLimits(time_limit_s=5.0, relative_gap=0.0, workers=1)


def free(day: int, start: str = "09:00", end: str = "17:00", grid: SlotGrid = GRID) -> frozenset[int]:
    """The slots of the day-th working day (0 = the first) from start to end."""
    days = sorted({s.date() for s in grid.starts})
    opens, closes = time.fromisoformat(start), time.fromisoformat(end)
    return frozenset(i for i, s in enumerate(grid.starts) if s.date() == days[day] and opens <= s.time() < closes)


def trainer(trainer_id: str, available: frozenset[int], organisation: str = "koolitajad",
            limits: tuple[Limit, ...] = ()) -> Trainer:
    return Trainer(trainer_id, organisation, available, limits)


def team(team_id: str, available: frozenset[int], entitlement: int = 1, organisations: tuple[str, ...] = ("mtü",),
         preferences: tuple[Preference, ...] = ()) -> Team:
    return Team(team_id, frozenset(organisations), entitlement, available, preferences)


def half(trainers: list[Trainer], teams: list[Team], **settings: object) -> CounsellingProblem:
    return replace(CounsellingProblem(GRID, tuple(trainers), tuple(teams)), **settings)  # type: ignore[arg-type]


def at(slot: int) -> str:
    return f"{GRID.starts[slot]:%a %H:%M}"


def busy_half() -> CounsellingProblem:
    """Six teams entitled to two sessions each, each free on one day a week that one of two trainers offers."""
    trainers = [trainer("mari", free(0) | free(2) | free(5) | free(7)),
                trainer("jaan", free(1) | free(3) | free(6) | free(8))]
    return half(trainers, [team(f"t{n}", free(n % 4) | free(n % 4 + 5), entitlement=2) for n in range(6)])
