"""A rubric: what a jury scores, on which scale, and how much each part weighs; and the scores jurors give.

An application hands in several artefacts (e.g. a written service description and a presentation), each with a
weight; each artefact has criteria, each with a weight, a scale (e.g. 1–5 or 0–10) and a description of each level
in the organiser's languages. A criterion's share of an application's score is its artefact's share of all
artefact weights times its own share of its artefact's criterion weights, so the shares add up to 1 whatever
numbers the organiser used. Criterion keys are unique across the rubric.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property

from koos_evaluation.domain.errors import EvaluationRefused


@dataclass(frozen=True)
class Level:
    value: int
    description: Mapping[str, str]


@dataclass(frozen=True)
class Criterion:
    key: str
    title: Mapping[str, str]
    weight: float
    lowest: int
    highest: int
    levels: tuple[Level, ...] = ()

    def __post_init__(self) -> None:
        if self.weight <= 0 or self.lowest >= self.highest:
            raise EvaluationRefused(f"criterion {self.key} needs a positive weight and a scale from low to high")
        if any(not self.lowest <= level.value <= self.highest for level in self.levels):
            raise EvaluationRefused(f"a level of criterion {self.key} is outside its scale")


@dataclass(frozen=True)
class Artefact:
    key: str
    title: Mapping[str, str]
    weight: float
    criteria: tuple[Criterion, ...]


@dataclass(frozen=True)
class Rubric:
    artefacts: tuple[Artefact, ...]

    def __post_init__(self) -> None:
        keys = [a.key for a in self.artefacts] + [c.key for c in self.criteria]
        if len(set(keys)) < len(keys):
            raise EvaluationRefused("artefact and criterion keys must be unique across the rubric")
        if not self.artefacts or any(a.weight <= 0 or not a.criteria for a in self.artefacts):
            raise EvaluationRefused("a rubric has artefacts, each with a positive weight and at least one criterion")

    @property
    def criteria(self) -> tuple[Criterion, ...]:
        return tuple(c for a in self.artefacts for c in a.criteria)

    def criterion(self, key: str) -> Criterion:
        if key not in self._criteria:
            raise EvaluationRefused(f"the rubric has no criterion {key}")
        return self._criteria[key]

    def artefact(self, key: str) -> Artefact:
        return next(a for a in self.artefacts if a.key == key)

    def artefact_of(self, criterion_key: str) -> Artefact:
        return next(a for a in self.artefacts if any(c.key == criterion_key for c in a.criteria))

    def share(self, criterion_key: str) -> float:
        """The criterion's share of an application's score; the shares of all criteria add up to 1."""
        artefact = self.artefact_of(criterion_key)
        return (artefact.weight / sum(a.weight for a in self.artefacts)
                * self.criterion(criterion_key).weight / sum(c.weight for c in artefact.criteria))

    @cached_property
    def _criteria(self) -> dict[str, Criterion]:
        return {c.key: c for c in self.criteria}


@dataclass(frozen=True)
class Score:
    """One juror's score of one criterion of one application, with the juror's comment."""

    juror_id: str
    application_id: str
    criterion_key: str
    value: int
    comment: str = ""


def check_score(rubric: Rubric, score: Score) -> None:
    """Refuse a score of an unknown criterion or outside the criterion's scale."""
    criterion = rubric.criterion(score.criterion_key)
    if not criterion.lowest <= score.value <= criterion.highest:
        raise EvaluationRefused(f"{score.value} is outside the scale {criterion.lowest}–{criterion.highest} "
                                f"of criterion {criterion.key}")
