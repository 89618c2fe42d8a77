"""Rubrics and score tables for the scoring and selection tests."""

from collections.abc import Mapping

from koos_evaluation.domain.rubric import Artefact, Criterion, Level, Rubric, Score


def criterion(key: str, lowest: int = 1, highest: int = 5, weight: float = 1.0, title: str | None = None) -> Criterion:
    levels = (Level(lowest, {"en": "missing", "et": "puudub"}),
              Level(highest, {"en": "excellent", "et": "suurepärane"}))
    return Criterion(key, {"en": title or key.capitalize(), "et": title or key}, weight, lowest, highest, levels)


def single_criterion_rubric() -> Rubric:
    return Rubric((Artefact("description", {"en": "Service description"}, 1.0, (criterion("clarity"),)),))


def two_artefact_rubric() -> Rubric:
    """A written description (content) and a presentation (delivery), weighing alike."""
    return Rubric((
        Artefact("description", {"en": "Service description", "et": "teenuse kirjeldus"}, 1.0,
                 (criterion("content", title="content"),)),
        Artefact("presentation", {"en": "Presentation", "et": "esitlus"}, 1.0,
                 (criterion("delivery", title="delivery"),)),
    ))


def scores(table: Mapping[str, Mapping[str, Mapping[str, int]]]) -> list[Score]:
    """{juror: {application: {criterion: value}}} → scores."""
    return [Score(juror, application, key, value, f"{juror} on {application}")
            for juror, given in table.items() for application, values in given.items()
            for key, value in values.items()]


def one_criterion(table: Mapping[str, Mapping[str, int]], key: str = "clarity") -> list[Score]:
    """{juror: {application: value}} of one criterion → scores."""
    return scores({juror: {a: {key: v} for a, v in given.items()} for juror, given in table.items()})
