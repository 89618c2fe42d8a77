"""Allocating the pop-up space: first come first served while there is room for everyone, the solver when not.

First come first served: producers in the order they were accepted each take their earliest bookings that fit
(never more than the capacity at once, never two of their own at the same time). If that serves every producer
all the bookings they want, there is no competition and that allocation stands.

Otherwise CP-SAT decides, fairly: one yes/no variable per possible booking (`space.options`); at every moment at
most `capacity` chosen bookings run, and at most one of each producer's; round k maximises the number of producers
with at least k bookings while keeping the counts reached in rounds 1 … k − 1. So everyone who can get one slot
gets one before anyone gets two, and as many producers as possible are served. The solver starts from the
first-come allocation (a hint); the time limit covers all rounds.
"""

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Sequence
from time import perf_counter

from ortools.sat.python import cp_model

from koos_scheduling.domain.solving import DEFAULT_LIMITS, FOUND, SolveLimits, cp_solver
from koos_scheduling.domain.space import Allocation, Producer, Season, SpaceBooking, Unserved, options

FIRST_COME = "first_come_first_served"


def allocate(season: Season, producers: Sequence[Producer], limits: SolveLimits = DEFAULT_LIMITS) -> Allocation:
    """`producers` in the order they were accepted."""
    first = first_come_first_served(season, producers)
    return first if not first.unserved else solve(season, producers, limits, hint=first.bookings)


def first_come_first_served(season: Season, producers: Sequence[Producer]) -> Allocation:
    booked: list[SpaceBooking] = []
    for producer in producers:
        own: list[SpaceBooking] = []
        for option in options(season, producer):
            if len(own) == producer.wanted:
                break
            if not any(option.overlaps(b) for b in own) and _room(season, booked, option):
                own.append(option)
                booked.append(option)
    return _allocation(season, producers, booked, FIRST_COME)


def solve(season: Season, producers: Sequence[Producer], limits: SolveLimits = DEFAULT_LIMITS,
          hint: Sequence[SpaceBooking] = ()) -> Allocation:
    started = perf_counter()
    possible = sorted(o for p in producers for o in options(season, p))
    model = cp_model.CpModel()
    chosen = {o: model.new_bool_var("") for o in possible}
    _no_double_booking(model, season, possible, chosen)
    levels = _levels(model, producers, chosen)
    hinted = set(hint)
    for option, var in chosen.items():
        model.add_hint(var, option in hinted)
    solver = None
    for level in levels:
        model.maximize(cp_model.LinearExpr.sum(level))
        solver = cp_solver(limits, limits.time_limit_s - (perf_counter() - started))
        if solver.solve(model) not in FOUND:
            return _allocation(season, producers, hint, FIRST_COME)
        model.add(cp_model.LinearExpr.sum(level) >= round(solver.objective_value))
    booked = [o for o, var in chosen.items() if solver is not None and solver.boolean_value(var)]
    return _allocation(season, producers, booked, "solver")


def _room(season: Season, booked: Sequence[SpaceBooking], option: SpaceBooking) -> bool:
    """Whether fewer than `capacity` bookings run at every moment of the option."""
    overlapping = [b for b in booked if b.overlaps(option)]
    moments = [option.start] + [b.start for b in overlapping if b.start > option.start]
    return all(sum(1 for b in overlapping if b.start <= t < b.end) < season.capacity for t in moments)


def _no_double_booking(model: cp_model.CpModel, season: Season, possible: Sequence[SpaceBooking],
                       chosen: dict[SpaceBooking, cp_model.IntVar]) -> None:
    """At each start of a possible booking — where the count of running bookings can rise — the capacity holds,
    and each producer runs at most one booking."""
    if not possible:
        return
    starts = [o.start for o in possible]
    longest = max(o.end - o.start for o in possible)
    for moment in sorted(set(starts)):
        began = possible[bisect_right(starts, moment - longest):bisect_right(starts, moment)]
        running = [o for o in began if o.end > moment]
        if len(running) > season.capacity:
            model.add(cp_model.LinearExpr.sum([chosen[o] for o in running]) <= season.capacity)
        per_producer: dict[str, list[cp_model.IntVar]] = defaultdict(list)
        for o in running:
            per_producer[o.producer_id].append(chosen[o])
        for group in per_producer.values():
            if len(group) > 1:
                model.add_at_most_one(group)


def _levels(model: cp_model.CpModel, producers: Sequence[Producer],
            chosen: dict[SpaceBooking, cp_model.IntVar]) -> list[list[cp_model.IntVar]]:
    """levels[k]: one variable per producer meaning "has at least k + 1 bookings"."""
    levels: list[list[cp_model.IntVar]] = [[] for _ in range(max((p.wanted for p in producers), default=0))]
    for producer in producers:
        own = [var for o, var in chosen.items() if o.producer_id == producer.producer_id]
        at_least = [model.new_bool_var("") for _ in range(min(producer.wanted, len(own)))]
        model.add(cp_model.LinearExpr.sum(own) == cp_model.LinearExpr.sum(at_least))
        for k, var in enumerate(at_least):
            levels[k].append(var)
            if k:
                model.add_implication(var, at_least[k - 1])
    return [level for level in levels if level]


def _allocation(season: Season, producers: Sequence[Producer], booked: Sequence[SpaceBooking],
                method: str) -> Allocation:
    unserved = []
    for producer in producers:
        missing = producer.wanted - sum(1 for b in booked if b.producer_id == producer.producer_id)
        if missing > 0:
            code = "taken" if options(season, producer) else "no_matching_time"
            unserved.append(Unserved(producer.producer_id, missing, code))
    return Allocation(tuple(sorted(booked)), method, tuple(unserved))
