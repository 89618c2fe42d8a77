"""How long and how hard CP-SAT may work on a plan, shared by the counselling and the pop-up space planners."""

from dataclasses import dataclass

from ortools.sat.python import cp_model

FOUND = (cp_model.OPTIMAL, cp_model.FEASIBLE)


@dataclass(frozen=True)
class SolveLimits:
    """The time limit covers every round of one plan; the solver stops early within `relative_gap` of its bound."""

    time_limit_s: float = 10.0
    relative_gap: float = 0.01
    workers: int = 2
    seed: int = 0


DEFAULT_LIMITS = SolveLimits()


def cp_solver(limits: SolveLimits, seconds: float) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.1, seconds)
    solver.parameters.relative_gap_limit = limits.relative_gap
    solver.parameters.num_workers = limits.workers
    solver.parameters.random_seed = limits.seed
    return solver
