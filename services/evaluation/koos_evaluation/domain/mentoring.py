"""Mentoring: each institution selected for the follow-on phase is paired with one mentor.

A mentor affiliated with the institution (`affiliation.conflict_between`: same organisation or a declared
conflict) is never paired with it, and no mentor takes more institutions than their `capacity`. Among the pairings
that pair the most institutions, the institutions' preferences (a weight per mentor, higher is better, e.g. from
the organiser's judgement of fit) count first, then the mentors' loads are kept even (`balanced_assignment`).
An institution left without a mentor is reported with its reason.

The monthly mentoring sessions are planned by the scheduling service with its counselling planner, from the
mentors' and institutions' availability: each pair becomes a team restricted to its mentor (`Team.trainers`) with
one session a month (`Limit("month", 1)`) and an entitlement of one session per month of the phase. This module
only pairs — evaluation does not import scheduling; the pairs travel to it in an event.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from koos_evaluation.domain.affiliation import Affiliations, Applicant, conflict_between
from koos_evaluation.domain.balanced_assignment import assign_balanced
from koos_evaluation.domain.errors import EvaluationRefused


@dataclass(frozen=True)
class Mentor:
    mentor_id: str
    organisations: frozenset[str]
    capacity: int
    declared: frozenset[str] = frozenset()

    @property
    def affiliations(self) -> Affiliations:
        return Affiliations(self.mentor_id, self.organisations, self.declared)


@dataclass(frozen=True)
class Unpaired:
    """`code` is "no_eligible_mentor" or "mentors_full"."""

    application_id: str
    code: str
    reason: str


@dataclass(frozen=True)
class Pairing:
    """`pairs` are (application id, mentor id) in the institutions' order."""

    pairs: tuple[tuple[str, str], ...]
    unpaired: tuple[Unpaired, ...]

    def mentor_of(self, application_id: str) -> str | None:
        return next((m for a, m in self.pairs if a == application_id), None)


@dataclass(frozen=True)
class Preferences:
    """(application id, mentor id) → weight; pairs not named weigh 0."""

    weights: Mapping[tuple[str, str], int] = field(default_factory=dict)


def pair(institutions: Sequence[Applicant], mentors: Sequence[Mentor],
         preferences: Preferences = Preferences()) -> Pairing:
    if len({m.mentor_id for m in mentors}) < len(mentors) or any(m.capacity < 0 for m in mentors):
        raise EvaluationRefused("mentor ids are unique and their capacities never negative")
    allowed = [(i.application_id, m.mentor_id, preferences.weights.get((i.application_id, m.mentor_id), 0))
               for i in institutions for m in mentors if conflict_between(m.affiliations, i) is None]
    pairs = assign_balanced({i.application_id: 1 for i in institutions}, {m.mentor_id: m.capacity for m in mentors},
                            allowed)
    order = {i.application_id: n for n, i in enumerate(institutions)}
    paired = {a for a, _ in pairs}
    eligible = {a for a, _, _ in allowed}
    unpaired = tuple(
        Unpaired(i.application_id, "mentors_full", f"every mentor free of conflicts with {i.application_id} "
                                                   "has as many institutions as they can take")
        if i.application_id in eligible else
        Unpaired(i.application_id, "no_eligible_mentor", f"every mentor is affiliated with {i.application_id}")
        for i in institutions if i.application_id not in paired)
    return Pairing(tuple(sorted(pairs, key=lambda p: order[p[0]])), unpaired)
