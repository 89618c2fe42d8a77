"""Juried review: which jurors score which application, balanced, and never a juror affiliated with the applicant.

Each application gets `per_application` different jurors where possible; a juror affiliated with the applicant
(`affiliation.conflict_between`) is never assigned, and no juror gets more than their `max_load`. Among the
assignments that give the most applications their jurors, the loads are as even as the conflicts and limits allow.
What cannot be met is reported per application with its reason: too few eligible jurors at all, or eligible jurors
whose load limits are used up by other applications.

Why min-cost flow and not CP-SAT: the problem is a transportation problem — source → application (capacity k) →
eligible juror (capacity 1 per pair) → sink — solved exactly by `balanced_assignment.assign_balanced`: its
constraint matrix is totally unimodular, so the network solver returns whole assignments in milliseconds for
thousands of pairs, with no time limit or gap to report. Balance comes from convex load costs (the sum of squared
loads is minimised), which makes the largest load as small and the smallest as large as the conflicts and limits
allow, at once — no separate min–max step. CP-SAT would be the tool once rules break the network shape (e.g. "at
least one juror from outside the region per application", two jurors who must not sit on the same application);
none does today.
"""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from time import perf_counter

from koos_evaluation.domain.affiliation import Affiliations, Applicant, conflict_between
from koos_evaluation.domain.balanced_assignment import assign_balanced
from koos_evaluation.domain.errors import EvaluationRefused


@dataclass(frozen=True)
class Juror:
    """`declared` holds the applicant or organisation ids the juror declared a conflict with."""

    juror_id: str
    organisations: frozenset[str]
    max_load: int
    declared: frozenset[str] = frozenset()

    @property
    def affiliations(self) -> Affiliations:
        return Affiliations(self.juror_id, self.organisations, self.declared)


@dataclass(frozen=True)
class Eligibility:
    """Whether a juror may score an application; if not, the stable `code` and a `reason` for the refusal."""

    allowed: bool
    code: str | None = None
    reason: str | None = None


@dataclass(frozen=True)
class Shortfall:
    """`code` is "too_few_eligible" or "loads_full"."""

    application_id: str
    missing: int
    code: str
    reason: str


@dataclass(frozen=True)
class JuryAssignment:
    """`pairs` are (application id, juror id) in application then juror order; `loads` follow the jurors' order."""

    pairs: tuple[tuple[str, str], ...]
    loads: tuple[tuple[str, int], ...]
    shortfalls: tuple[Shortfall, ...]
    seconds: float

    def jurors_of(self, application_id: str) -> tuple[str, ...]:
        return tuple(juror for application, juror in self.pairs if application == application_id)


def may_score(juror: Juror, application: Applicant) -> Eligibility:
    conflict = conflict_between(juror.affiliations, application)
    return Eligibility(True) if conflict is None else Eligibility(False, conflict.code, conflict.reason)


def assign(jurors: Sequence[Juror], applications: Sequence[Applicant], per_application: int) -> JuryAssignment:
    started = perf_counter()
    _check(jurors, applications, per_application)
    allowed, eligible = [], {}
    for application in applications:
        mine = [(application.application_id, j.juror_id, 0) for j in jurors if may_score(j, application).allowed]
        eligible[application.application_id] = len(mine)
        allowed += mine
    pairs = assign_balanced({a.application_id: per_application for a in applications},
                            {j.juror_id: j.max_load for j in jurors}, allowed)
    counted = Counter(juror for _, juror in pairs)
    loads = tuple((j.juror_id, counted[j.juror_id]) for j in jurors)
    return JuryAssignment(pairs, loads, _shortfalls(applications, pairs, eligible, per_application),
                          perf_counter() - started)


def _check(jurors: Sequence[Juror], applications: Sequence[Applicant], per_application: int) -> None:
    if per_application < 1:
        raise EvaluationRefused("each application needs at least one juror")
    ids_of = {"juror": [j.juror_id for j in jurors], "application": [a.application_id for a in applications]}
    for kind, ids in ids_of.items():
        if len(set(ids)) < len(ids):
            raise EvaluationRefused(f"a {kind} id is used twice")
    if any(j.max_load < 0 for j in jurors):
        raise EvaluationRefused("a juror's load limit is never negative")


def _shortfalls(applications: Sequence[Applicant], pairs: Sequence[tuple[str, str]], eligible: dict[str, int],
                per_application: int) -> tuple[Shortfall, ...]:
    found, counted = [], Counter(application for application, _ in pairs)
    for application in applications:
        key = application.application_id
        missing = per_application - counted[key]
        if missing and eligible[key] < per_application:
            found.append(Shortfall(key, missing, "too_few_eligible", f"application {key} has only {eligible[key]} "
                                   f"eligible juror(s); {per_application} are needed"))
        elif missing:
            found.append(Shortfall(key, missing, "loads_full", f"application {key} has {eligible[key]} eligible "
                                   "jurors, but their load limits are used up by other applications"))
    return tuple(found)
