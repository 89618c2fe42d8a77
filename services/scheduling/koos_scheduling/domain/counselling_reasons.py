"""Why a team did not get all its counselling sessions, in words an organiser can act on.

The first cause that applies is reported, from the team's own input to what others' sessions took:
- "no_free_time": the team stated no free time;
- "no_eligible_trainer": every trainer is of one of the team's organisations, has a declared conflict, or is not one
  the team may meet;
- "no_common_time": no trainer is free for a whole session when the team is (the weeks the team is free are named);
- "too_few_periods": the common free times fall on fewer days (weeks, months) than the team's limits need for its
  sessions, e.g. two sessions with one a day but common time on one day only (reported when the team got all the
  sessions those days allow; if it got fewer, one of the causes below is reported);
- "capacity_used_up": most common free times are with trainers whose capacity for that day or week is used up;
- "times_taken": most common free times are taken by other teams' sessions with the same trainers;
- "same_periods": the team's remaining common free times fall on days where it already has a session;
- "left_unbooked": a common free time is still open — the planner stopped before booking it (a time limit).
"""

from collections import Counter
from collections.abc import Iterable, Sequence

from koos_scheduling.domain.counselling import Booking, CounsellingProblem, Team, Unmet
from koos_scheduling.domain.counselling_ledger import Ledger
from koos_scheduling.domain.slot_grid import SlotGrid


def explain(problem: CounsellingProblem, bookings: Iterable[Booking]) -> tuple[Unmet, ...]:
    """One entry per team with fewer sessions than its entitlement; `bookings` must keep the rules."""
    ledger = Ledger(problem, bookings)
    options = problem.options_by_team
    unmet = []
    for team in problem.teams:
        missing = team.entitlement - ledger.sessions_of(team.team_id)
        if missing > 0:
            unmet.append(Unmet(team.team_id, missing, *_cause(problem, ledger, team, options[team.team_id])))
    return tuple(unmet)


def _cause(problem: CounsellingProblem, ledger: Ledger, team: Team, options: Sequence[Booking]) -> tuple[str, str]:
    grid = problem.grid
    if not team.available:
        return "no_free_time", "the team has stated no free time"
    if all(problem.conflict(trainer, team) for trainer in problem.trainers):
        return "no_eligible_trainer", ("no trainer may counsel the team: each belongs to one of its organisations, "
                                       "has declared a conflict, or is not one the team may meet")
    if not options:
        minutes = problem.length * grid.slot_minutes
        return "no_common_time", (f"no common free time of {minutes} minutes with any trainer "
                                  f"in {weeks(grid, team.available)}, when the team is free")
    reachable, short = _too_few_periods(problem, team, options)
    if short is not None and ledger.sessions_of(team.team_id) >= reachable:
        return short
    booked = set(ledger.bookings)
    blocked = Counter(ledger.refusal(o) for o in options if o not in booked)
    if blocked[None]:
        return "left_unbooked", "a common free time with a trainer is still open; the planner stopped before using it"
    capacity, taken = blocked["trainer_limit"], blocked["trainer_busy"]
    if capacity == taken == 0:
        return "same_periods", ("the team's remaining common free times with trainers fall where it already has "
                                "a session")
    kind = "trainer_limit" if capacity >= taken else "trainer_busy"
    when = weeks(grid, [o.start for o in options if ledger.refusal(o) == kind])
    if kind == "trainer_limit":
        return "capacity_used_up", f"the trainers' capacity is used up in {when}, when the team and they are free"
    return "times_taken", f"the common free times with trainers in {when} are taken by other teams' sessions"


def _too_few_periods(problem: CounsellingProblem, team: Team,
                     options: Sequence[Booking]) -> tuple[int, tuple[str, str] | None]:
    """The most sessions the team's limits allow on its common free time, and the reason if below its entitlement.
    A team that got fewer than that lost the rest to others' sessions, which the caller reports instead."""
    grid = problem.grid
    for limit in problem.limits_of(team):
        periods = {grid.period(o.start, limit.per) for o in options}
        if len(periods) * limit.most < team.entitlement:
            return len(periods) * limit.most, ("too_few_periods", (
                f"common free time with a trainer on only {len(periods)} {limit.per}(s) "
                f"({weeks(grid, [o.start for o in options])}), with at most {limit.most} session(s) a {limit.per}, "
                f"fewer than the {team.entitlement} sessions the team is entitled to"))
    return team.entitlement, None


def weeks(grid: SlotGrid, slots: Iterable[int]) -> str:
    """The weeks of the slots as ranges: "week 3", "weeks 3–5", "weeks 1–2, 6"."""
    numbers = sorted({grid.week(s) for s in slots})
    ranges: list[list[int]] = []
    for n in numbers:
        if ranges and ranges[-1][-1] == n - 1:
            ranges[-1].append(n)
        else:
            ranges.append([n])
    text = ", ".join(f"{r[0]}" if len(r) == 1 else f"{r[0]}–{r[-1]}" for r in ranges)
    return f"week {text}" if len(numbers) == 1 else f"weeks {text}"
