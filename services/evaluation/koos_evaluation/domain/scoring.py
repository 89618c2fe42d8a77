"""Normalised scores: each juror's scores as z-scores, combined by the rubric's weights, with spread and outliers.

The rules, in the order they are applied (a test or an organiser can recompute every figure from them):
1. Normalisation per juror and criterion: z = (x − m) / s, where m and s are the mean and the population standard
   deviation of the scores that juror gave that criterion over all the applications they scored. A harsh and a
   lenient juror thus weigh alike, and a juror harsh on one criterion only is corrected on that one only.
   When s is 0 — the juror gave every application the same value, or scored only one application — every z of
   that juror and criterion is 0: the scores say nothing about how the applications compare, so they neither lift
   nor lower any of them.
2. An application's criterion score is the mean of its jurors' z for that criterion; its artefact score is the
   weighted mean (criterion weights) of the artefact's criterion scores; its score is the sum over criteria of
   criterion score × the criterion's share (`Rubric.share`). An application with a criterion nobody scored has no
   score (it is listed as incomplete and not ranked).
3. A juror's combined score of an application is the sum of their z × share over the criteria they scored, divided
   by the sum of those shares. The spread is the sample standard deviation of the jurors' combined scores (None
   with fewer than two jurors).
4. Outlier: with at least three jurors on an application, a juror whose combined score differs from the mean of the
   other jurors' combined scores by more than the threshold (default 1.5, in z units) is flagged — the farthest
   such juror only (all of them if equally far): one juror far off drags the others' mean, so with three jurors
   the one nearest the truth can cross the threshold too. With two jurors neither can be told from the other, so
   none is flagged.
"""

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from statistics import fmean, pstdev, stdev

from koos_evaluation.domain.errors import EvaluationRefused
from koos_evaluation.domain.rubric import Rubric, Score, check_score

OUTLIER_THRESHOLD = 1.5


@dataclass(frozen=True)
class Outlier:
    application_id: str
    juror_id: str
    juror_score: float
    others_mean: float

    @property
    def distance(self) -> float:
        return self.juror_score - self.others_mean


@dataclass(frozen=True)
class Standing:
    """An application's normalised figures; `score` is None when `missing` names criteria nobody scored."""

    application_id: str
    score: float | None
    criteria: Mapping[str, float]
    artefacts: Mapping[str, float]
    jurors: Mapping[str, float]
    spread: float | None
    outliers: tuple[Outlier, ...]
    missing: tuple[str, ...]


def z_scores(scores: Sequence[Score]) -> dict[tuple[str, str, str], float]:
    """(juror, application, criterion) → z, by rule 1."""
    given: dict[tuple[str, str], list[Score]] = defaultdict(list)
    for score in scores:
        given[score.juror_id, score.criterion_key].append(score)
    z = {}
    for group in given.values():
        values = [s.value for s in group]
        mean, spread = fmean(values), pstdev(values)
        for s in group:
            z[s.juror_id, s.application_id, s.criterion_key] = (s.value - mean) / spread if spread else 0.0
    return z


def standings(rubric: Rubric, application_ids: Sequence[str], scores: Sequence[Score],
              outlier_threshold: float = OUTLIER_THRESHOLD) -> tuple[Standing, ...]:
    """The figures of each application, in the order given."""
    _check(rubric, application_ids, scores)
    z = z_scores(scores)
    by_application: dict[str, dict[str, dict[str, float]]] = defaultdict(lambda: defaultdict(dict))
    for (juror, application, criterion), value in z.items():
        by_application[application][juror][criterion] = value
    return tuple(_standing(rubric, a, by_application[a], outlier_threshold) for a in application_ids)


def _standing(rubric: Rubric, application_id: str, given: Mapping[str, Mapping[str, float]],
              threshold: float) -> Standing:
    criteria = {c.key: fmean(zs) for c in rubric.criteria
                if (zs := [by_criterion[c.key] for by_criterion in given.values() if c.key in by_criterion])}
    missing = tuple(c.key for c in rubric.criteria if c.key not in criteria)
    artefacts = {}
    for artefact in rubric.artefacts:
        scored = [c for c in artefact.criteria if c.key in criteria]
        if scored:
            artefacts[artefact.key] = sum(criteria[c.key] * c.weight for c in scored) / sum(c.weight for c in scored)
    jurors = {juror: sum(v * rubric.share(c) for c, v in zs.items()) / sum(rubric.share(c) for c in zs)
              for juror, zs in given.items()}
    return Standing(application_id=application_id,
                    score=None if missing else sum(criteria[c.key] * rubric.share(c.key) for c in rubric.criteria),
                    criteria=criteria, artefacts=artefacts, jurors=jurors,
                    spread=stdev(jurors.values()) if len(jurors) > 1 else None,
                    outliers=_outliers(application_id, jurors, threshold), missing=missing)


def _outliers(application_id: str, jurors: Mapping[str, float], threshold: float) -> tuple[Outlier, ...]:
    if len(jurors) < 3:
        return ()
    found = [Outlier(application_id, juror, value, fmean(v for j, v in jurors.items() if j != juror))
             for juror, value in jurors.items()]
    farthest = max(abs(o.distance) for o in found)
    return tuple(o for o in found if abs(o.distance) > threshold and abs(o.distance) == farthest)


def _check(rubric: Rubric, application_ids: Sequence[str], scores: Sequence[Score]) -> None:
    known, seen = set(application_ids), set()
    for score in scores:
        check_score(rubric, score)
        if score.application_id not in known:
            raise EvaluationRefused(f"application {score.application_id} is not in this round")
        key = (score.juror_id, score.application_id, score.criterion_key)
        if key in seen:
            raise EvaluationRefused(f"{score.juror_id} scored {score.criterion_key} of {score.application_id} twice")
        seen.add(key)
