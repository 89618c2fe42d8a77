"""Counselling planned by CP-SAT in two rounds: as many sessions as possible, fairly; then the best preferences.

The model has one yes/no variable per session the rules allow on its own (`CounsellingProblem.options`: an
eligible trainer and team, both free for the whole session). Constraints:
- per trainer and slot, at most one chosen session covers the slot; the same per team, unless the team may have
  only one session a day anyway (then its sessions cannot overlap and the constraint is left out);
- per party, limit and period (day, week, month), at most `limit.most` chosen sessions;
- per team, at most its entitlement.

Round 1 maximises the booked sessions, one team's k-th session weighing more than all teams' (k+1)-th sessions
together, so every team that can have a first session gets it before any team gets its second. Round 2 keeps
round 1's value as a constraint, starts from its solution and maximises the preference score — plus, when
re-planning, a reward for every confirmed session left where it was, larger than any preference score, so moving
another session is the last resort. Two rounds keep the reported gap meaningful: it is the distance of round 2's
objective from the solver's bound, not hidden behind a booking term a thousand times larger. The time limit covers
both rounds; round 1 runs to optimality (sessions come first), the relative gap limit applies to round 2. CP-SAT
calls a search stopped at the gap limit "optimal"; the plan says "optimal" only when the gap is 0, else "feasible"
with the gap.
"""

from collections import defaultdict
from collections.abc import Hashable
from dataclasses import replace
from itertools import pairwise
from time import perf_counter

from ortools.sat.python import cp_model

from koos_scheduling.domain.counselling import Booking, CounsellingPlan, CounsellingProblem
from koos_scheduling.domain.counselling_reasons import explain
from koos_scheduling.domain.solving import DEFAULT_LIMITS, FOUND, SolveLimits, cp_solver


def plan(problem: CounsellingProblem, limits: SolveLimits = DEFAULT_LIMITS) -> CounsellingPlan:
    """The best plan the solver finds within the limits."""
    return solve(problem, limits)


def solve(problem: CounsellingProblem, limits: SolveLimits, keep: frozenset[Booking] = frozenset(),
          keep_weight: int = 0) -> CounsellingPlan:
    """`plan`, with `keep_weight` added to round 2's objective for each session of `keep` chosen."""
    started = perf_counter()
    model = _Model(problem)
    model.model.maximize(model.booked)
    first = cp_solver(replace(limits, relative_gap=0.0), limits.time_limit_s)
    booked = first.solve(model.model)
    if booked not in FOUND:
        return CounsellingPlan((), explain(problem, ()), "no_solution", False, None, 0, perf_counter() - started)
    model.settle(first)
    kept = [var for var, option in zip(model.chosen, problem.options, strict=True) if option in keep]
    model.model.maximize(model.preferences + keep_weight * cp_model.LinearExpr.sum(kept))
    second = cp_solver(limits, limits.time_limit_s - (perf_counter() - started))
    status = second.solve(model.model)
    answer = second if status in FOUND else first
    bookings = tuple(o for var, o in zip(model.chosen, problem.options, strict=True) if answer.boolean_value(var))
    gap = _gap(second, status)
    optimal = booked == status == cp_model.OPTIMAL and gap == 0.0
    return CounsellingPlan(bookings=bookings, unmet=explain(problem, bookings),
                           status="optimal" if optimal else "feasible", optimal=optimal, gap=gap,
                           preference_score=sum(problem.score(b) for b in bookings), seconds=perf_counter() - started)


def _gap(solver: cp_model.CpSolver, status: cp_model.CpSolverStatus) -> float | None:
    if status not in FOUND:
        return None
    value, bound = solver.objective_value, solver.best_objective_bound
    return abs(bound - value) / max(1.0, abs(value))


class _Model:
    def __init__(self, problem: CounsellingProblem) -> None:
        self.problem = problem
        self.model = cp_model.CpModel()
        self.chosen = [self.model.new_bool_var(f"s{i}") for i in range(len(problem.options))]
        scores = [problem.score(o) for o in problem.options]
        self.preferences = cp_model.LinearExpr.weighted_sum(self.chosen, scores)
        self._no_double_booking()
        self._limits()
        self.booked = self._entitlements()

    def settle(self, solver: cp_model.CpSolver) -> None:
        """Keep round 1's value and start round 2 from its solution."""
        self.model.add(self.booked >= round(solver.objective_value))
        for var in self.chosen:
            self.model.add_hint(var, solver.boolean_value(var))

    def _no_double_booking(self) -> None:
        covering: dict[tuple[str, str, int], list[cp_model.IntVar]] = defaultdict(list)
        one_a_day = {t.team_id for t in self.problem.teams
                     if any(lim.per == "day" and lim.most == 1 for lim in self.problem.limits_of(t))}
        for var, option in zip(self.chosen, self.problem.options, strict=True):
            for slot in option.slots:
                covering["trainer", option.trainer_id, slot].append(var)
                if option.team_id not in one_a_day:
                    covering["team", option.team_id, slot].append(var)
        for group in covering.values():
            if len(group) > 1:
                self.model.add_at_most_one(group)

    def _limits(self) -> None:
        grid = self.problem.grid
        counted: dict[tuple[str, str, Hashable, int], list[cp_model.IntVar]] = defaultdict(list)
        for var, option in zip(self.chosen, self.problem.options, strict=True):
            team = self.problem.team(option.team_id)
            parties = ((option.trainer_id, self.problem.trainer(option.trainer_id).limits),
                       (option.team_id, self.problem.limits_of(team)))
            for kind, (party, limits) in zip(("trainer", "team"), parties, strict=True):
                for limit in limits:
                    counted[kind, party, (limit.per, grid.period(option.start, limit.per)), limit.most].append(var)
        for (*_, most), group in counted.items():
            if len(group) > most:
                self.model.add(cp_model.LinearExpr.sum(group) <= most)

    def _entitlements(self) -> cp_model.LinearExpr:
        """The booked sessions, weighted lexicographically: a team's k-th session (k = 1, 2, …) counts
        (teams + 1) ** (top − k), top being the largest entitlement, so one k-th session outweighs all teams'
        (k + 1)-th sessions together."""
        per_team: dict[str, list[cp_model.IntVar]] = defaultdict(list)
        for var, option in zip(self.chosen, self.problem.options, strict=True):
            per_team[option.team_id].append(var)
        top = max((t.entitlement for t in self.problem.teams), default=0)
        got_all, weights = [], []
        for team in self.problem.teams:
            sessions = per_team[team.team_id]
            got = [self.model.new_bool_var(f"{team.team_id}#{k}") for k in range(min(team.entitlement, len(sessions)))]
            self.model.add(cp_model.LinearExpr.sum(sessions) == cp_model.LinearExpr.sum(got))
            for earlier, later in pairwise(got):
                self.model.add_implication(later, earlier)
            got_all += got
            weights += [(len(self.problem.teams) + 1) ** (top - 1 - k) for k in range(len(got))]
        return cp_model.LinearExpr.weighted_sum(got_all, weights)
