"""Ranking and the top-N proposal, with ties broken by rules the organiser chose before scoring.

Applications are ranked by score (`scoring.standings`), highest first; scores equal to 9 decimals are tied. Ties
are broken by the policy's rules, in its order (data, fixed before scoring opens):
- "higher_<artefact or criterion key>_score": the higher artefact or criterion score, e.g. "higher_presentation_score";
- "lower_spread": the smaller spread of the jurors' scores (more agreement);
- "earlier_application": the application handed in first.
If no rule separates two applications they stay in application id order and the tie is marked "unresolved" — the
organiser decides. The proposal selects the first `places`; each selected application and the first one not
selected get a justification: rank, score, margin (a selected one's lead over the first not selected; the first not
selected's distance to the last selected, ≤ 0), spread, jurors, outliers, agreement per criterion, and the tie-break
that placed it if its score tied with its neighbour's.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from koos_evaluation.domain.agreement import agreement_by_criterion
from koos_evaluation.domain.errors import EvaluationRefused
from koos_evaluation.domain.rubric import Rubric, Score
from koos_evaluation.domain.scoring import OUTLIER_THRESHOLD, Outlier, Standing, standings

UNRESOLVED = "unresolved"
DIGITS = 9


@dataclass(frozen=True)
class SelectionPolicy:
    places: int
    tie_breaks: tuple[str, ...]
    outlier_threshold: float = OUTLIER_THRESHOLD

    def check(self, rubric: Rubric) -> None:
        keys = {a.key for a in rubric.artefacts} | {c.key for c in rubric.criteria}
        for rule in self.tie_breaks:
            known = rule in ("lower_spread", "earlier_application") or (
                rule.startswith("higher_") and rule.endswith("_score") and rule[7:-6] in keys)
            if not known:
                raise EvaluationRefused(f"unknown tie-break rule {rule}")
        if self.places < 1:
            raise EvaluationRefused("a selection has at least one place")


@dataclass(frozen=True)
class Entry:
    """An application in the round, with when it was handed in (for "earlier_application")."""

    application_id: str
    submitted_at: datetime


@dataclass(frozen=True)
class TieBreak:
    """The rule that placed the application `ahead` of (or behind) `other`, whose score it tied."""

    rule: str
    other: str
    ahead: bool


@dataclass(frozen=True)
class Justification:
    application_id: str
    rank: int
    ranked: int
    selected: bool
    score: float
    margin: float | None
    compared_with: str | None
    spread: float | None
    jurors: int
    outliers: tuple[Outlier, ...]
    agreement: Mapping[str, float | None]
    tie_break: TieBreak | None


@dataclass(frozen=True)
class Proposal:
    ranking: tuple[Standing, ...]
    selected: tuple[str, ...]
    justifications: tuple[Justification, ...]
    incomplete: tuple[Standing, ...]
    agreement: Mapping[str, float | None]


def propose(rubric: Rubric, policy: SelectionPolicy, entries: Sequence[Entry], scores: Sequence[Score]) -> Proposal:
    policy.check(rubric)
    figures = standings(rubric, [e.application_id for e in entries], scores, policy.outlier_threshold)
    submitted = {e.application_id: e.submitted_at for e in entries}
    ranking = tuple(sorted((s for s in figures if s.score is not None),
                           key=lambda s: (-_rounded(s), *_keys(policy, s, submitted), s.application_id)))
    agreement = agreement_by_criterion(rubric, scores)
    shown = range(min(len(ranking), policy.places + 1))
    return Proposal(ranking=ranking, selected=tuple(s.application_id for s in ranking[:policy.places]),
                    justifications=tuple(_justify(ranking, i, policy, submitted, agreement) for i in shown),
                    incomplete=tuple(s for s in figures if s.score is None), agreement=agreement)


def _keys(policy: SelectionPolicy, standing: Standing, submitted: Mapping[str, datetime]) -> tuple[float, ...]:
    return tuple(_key(rule, standing, submitted) for rule in policy.tie_breaks)


def _key(rule: str, standing: Standing, submitted: Mapping[str, datetime]) -> float:
    if rule == "earlier_application":
        return submitted[standing.application_id].timestamp()
    if rule == "lower_spread":
        return float("inf") if standing.spread is None else round(standing.spread, DIGITS)
    key = rule[7:-6]
    value = standing.artefacts.get(key, standing.criteria.get(key))
    return float("inf") if value is None else -round(value, DIGITS)


def _tie_rule(policy: SelectionPolicy, first: Standing, second: Standing, submitted: Mapping[str, datetime]) -> str:
    """The first rule that tells the two apart (they are tied on score)."""
    for rule in policy.tie_breaks:
        if _key(rule, first, submitted) != _key(rule, second, submitted):
            return rule
    return UNRESOLVED


def _justify(ranking: Sequence[Standing], i: int, policy: SelectionPolicy, submitted: Mapping[str, datetime],
             agreement: Mapping[str, float | None]) -> Justification:
    standing, places = ranking[i], policy.places
    first_out = ranking[places] if len(ranking) > places else None
    other = first_out if i < places else ranking[places - 1]
    return Justification(
        application_id=standing.application_id, rank=i + 1, ranked=len(ranking), selected=i < places,
        score=_score(standing), margin=None if other is None else _score(standing) - _score(other),
        compared_with=None if other is None else other.application_id, spread=standing.spread,
        jurors=len(standing.jurors), outliers=standing.outliers, agreement=agreement,
        tie_break=_tie_break(ranking, i, policy, submitted))


def _tie_break(ranking: Sequence[Standing], i: int, policy: SelectionPolicy,
               submitted: Mapping[str, datetime]) -> TieBreak | None:
    """A selected application against the next one if their scores tie, else against the previous one; the first
    not selected the other way round."""
    neighbours = [(i + 1, True), (i - 1, False)] if i < policy.places else [(i - 1, False), (i + 1, True)]
    for j, ahead in neighbours:
        if 0 <= j < len(ranking) and _rounded(ranking[i]) == _rounded(ranking[j]):
            first, second = (ranking[i], ranking[j]) if ahead else (ranking[j], ranking[i])
            return TieBreak(_tie_rule(policy, first, second, submitted), ranking[j].application_id, ahead)
    return None


def _score(standing: Standing) -> float:
    if standing.score is None:
        raise EvaluationRefused(f"application {standing.application_id} is not fully scored")
    return standing.score


def _rounded(standing: Standing) -> float:
    return round(_score(standing), DIGITS)
