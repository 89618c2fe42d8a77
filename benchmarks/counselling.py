"""Counselling planned by CP-SAT against first fit: time to an optimal or ≤ 1 % gap plan, unmet sessions, preferences.

A seeded random half: trainers offer a weekly pattern of half-days (dropping one now and then), teams are free on a
few half-days a week (a few of them only in a short stretch of weeks), and some prefer a trainer, mornings or the
early weeks. Team members come from three organisations each; a trainer never counsels a team of their own.
Both plans are replayed through `check_plan`, which counts every broken rule.
"""

from collections.abc import Sequence
from datetime import date
from random import Random

import typer

from benchmarks.harness import Figure, Stopwatch, console, show
from koos_scheduling.domain.counselling import CounsellingProblem, Preference, Team, Trainer, Unmet
from koos_scheduling.domain.counselling_greedy import first_fit
from koos_scheduling.domain.counselling_ledger import check_plan
from koos_scheduling.domain.counselling_solver import plan
from koos_scheduling.domain.slot_grid import Limit, SlotGrid
from koos_scheduling.domain.solving import SolveLimits

app = typer.Typer(add_completion=False)
HALF_DAY = 8
ORGANISATIONS = 30
TRAINER_ORGANISATIONS = 6


def half_days(grid: SlotGrid) -> dict[tuple[int, int], frozenset[int]]:
    """(week, half-day of the week 0–9) → its slots."""
    found: dict[tuple[int, int], set[int]] = {}
    for slot in range(len(grid.starts)):
        half = grid.day(slot).weekday() * 2 + (grid.starts[slot].hour >= 13)
        found.setdefault((grid.week(slot), half), set()).add(slot)
    return {key: frozenset(slots) for key, slots in found.items()}


def trainers(rng: Random, count: int, halves: dict[tuple[int, int], frozenset[int]], weeks: int) -> list[Trainer]:
    made = []
    for n in range(count):
        pattern = rng.sample(range(10), 3)
        offered = [(week, h) for week in range(1, weeks + 1) for h in (pattern if rng.random() > 0.3 else pattern[1:])]
        made.append(Trainer(f"trainer-{n}", f"org-{n % TRAINER_ORGANISATIONS}",
                            frozenset().union(*(halves[h] for h in offered)),
                            (Limit("day", 2), Limit("week", 3))))
    return made


def teams(rng: Random, count: int, halves: dict[tuple[int, int], frozenset[int]], weeks: int,
          trainer_ids: list[str], grid: SlotGrid) -> list[Team]:
    mornings = frozenset(s for s in range(len(grid.starts)) if grid.starts[s].hour < 13)
    early = frozenset(s for s in range(len(grid.starts)) if grid.week(s) <= weeks // 2)
    made = []
    for n in range(count):
        scarce = rng.random() < 0.1
        first = rng.randint(1, weeks - 2) if scarce else 1
        span = range(first, first + 2) if scarce else range(1, weeks + 1)
        free = [(week, h) for week in span for h in rng.sample(range(10), 1 if scarce else rng.choice((2, 3)))]
        preferences = [Preference(1, mornings)] if rng.random() < 0.5 else []
        if rng.random() < 0.5:
            preferences.append(Preference(3, trainer_id=rng.choice(trainer_ids)))
        if rng.random() < 0.3:
            preferences.append(Preference(2, early))
        organisations = frozenset(f"org-{rng.randrange(ORGANISATIONS)}" for _ in range(3))
        made.append(Team(f"team-{n}", organisations, 2, frozenset().union(*(halves[h] for h in free)),
                         tuple(preferences)))
    return made


def problem(team_count: int, trainer_count: int, weeks: int, seed: int) -> CounsellingProblem:
    rng = Random(seed)
    grid = SlotGrid.working_days(date(2016, 3, 7), weeks)
    halves = half_days(grid)
    staff = trainers(rng, trainer_count, halves, weeks)
    return CounsellingProblem(grid, tuple(staff),
                              tuple(teams(rng, team_count, halves, weeks, [t.trainer_id for t in staff], grid)))


@app.command()
def main(teams_: int = typer.Option(60, "--teams"), trainers_: int = typer.Option(12, "--trainers"),
         weeks: int = 8, seed: int = 2016, workers: int = 2, time_limit: float = 60.0, gap: float = 0.01) -> None:
    """Plan one seeded half with the solver and with first fit, and print the figures."""
    built = Stopwatch()
    half = problem(teams_, trainers_, weeks, seed)
    options = len(half.options)
    entitled = sum(t.entitlement for t in half.teams)
    build_seconds = built.seconds()
    console.print(f"{teams_} teams × {trainers_} trainers × {weeks} weeks, {len(half.grid.starts)} slots, "
                  f"{options:,} possible sessions, {entitled} sessions entitled")
    solved = plan(half, SolveLimits(time_limit_s=time_limit, relative_gap=gap, workers=workers, seed=seed))
    greedy = first_fit(half)
    figures = [
        Figure("possible sessions (model variables)", options, "", f"built in {build_seconds:.2f} s"),
        Figure("solver: time to plan", solved.seconds, "s", f"{solved.status}, gap limit {gap:.0%}, {workers} workers"),
        Figure("solver: gap to bound", 100 * (solved.gap or 0.0), "%", "preference round, relative"),
        Figure("solver: sessions booked", solved.booked, "", f"of {entitled}"),
        Figure("solver: sessions unmet", sum(u.missing for u in solved.unmet), "", _teams(solved.unmet)),
        Figure("solver: preference score", solved.preference_score, "", "sum of met preference weights"),
        Figure("solver: broken rules", len(check_plan(half, solved.bookings)), "", "replayed through the ledger"),
        Figure("first fit: time to plan", greedy.seconds * 1000, "ms", "rounds, earliest session first"),
        Figure("first fit: sessions booked", greedy.booked, "", f"of {entitled}"),
        Figure("first fit: sessions unmet", sum(u.missing for u in greedy.unmet), "", _teams(greedy.unmet)),
        Figure("first fit: preference score", greedy.preference_score, "", "sum of met preference weights"),
        Figure("first fit: broken rules", len(check_plan(half, greedy.bookings)), "", "replayed through the ledger"),
    ]
    show("Counselling: CP-SAT against first fit", figures)
    for unmet in solved.unmet:
        console.print(f"  {unmet.team_id}: {unmet.missing} unmet — {unmet.reason}")


def _teams(unmet: Sequence[Unmet]) -> str:
    codes = [u.code for u in unmet]
    return ", ".join(f"{code} ×{codes.count(code)}" for code in sorted(set(codes))) or "none"


if __name__ == "__main__":
    app()
