"""First-fit counselling: the baseline the solver is measured against, and a plan in no time for small cases.

In rounds — every team's first session, then every team's second, … — each team in input order takes the earliest
session the rules allow, with the first trainer (in input order) free then. Preferences are ignored; the plan's
preference score is reported so it can be set beside the solver's.
"""

from time import perf_counter

from koos_scheduling.domain.counselling import CounsellingPlan, CounsellingProblem
from koos_scheduling.domain.counselling_ledger import Ledger
from koos_scheduling.domain.counselling_reasons import explain


def first_fit(problem: CounsellingProblem) -> CounsellingPlan:
    started = perf_counter()
    ledger = Ledger(problem)
    options = problem.options_by_team
    for _ in range(max((t.entitlement for t in problem.teams), default=0)):
        for team in problem.teams:
            if ledger.sessions_of(team.team_id) < team.entitlement:
                found = next((o for o in options[team.team_id] if ledger.refusal(o) is None), None)
                if found is not None:
                    ledger.book(found)
    bookings = tuple(ledger.bookings)
    return CounsellingPlan(bookings=bookings, unmet=explain(problem, bookings), status="first_fit", optimal=False,
                           gap=None, preference_score=sum(problem.score(b) for b in bookings),
                           seconds=perf_counter() - started)
