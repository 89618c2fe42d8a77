"""Between the jury's messages and the pure rules: the rubric as the domain knows it, the proposal as an event.

The rules themselves live in `rubric`, `scoring`, `selection`, `justification` and `mentoring`; this module only
translates, so that a test can recompute every figure of a `SelectionProposed` from the scores it sent.
"""

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from koos_contracts import jury as messages
from koos_evaluation.domain import justification
from koos_evaluation.domain.rubric import Artefact, Criterion, Level, Rubric, Score
from koos_evaluation.domain.selection import Justification, Proposal

LANGUAGES = ("et", "en")


def rubric_of(artefacts: Sequence[messages.Artefact]) -> Rubric:
    """The organiser's rubric as the scoring rules take it; EvaluationRefused when it breaks one of them."""
    return Rubric(tuple(
        Artefact(a.key, _texts_of(a.title), a.weight, tuple(
            Criterion(c.key, _texts_of(c.title), c.weight, c.lowest, c.highest,
                      tuple(Level(level.value, _texts_of(level.description)) for level in c.levels))
            for c in a.criteria))
        for a in artefacts))


def _texts_of(texts: Mapping[Any, str]) -> dict[str, str]:
    return {str(language): text for language, text in texts.items()}


def scores_of(given: Mapping[str, Mapping[str, Mapping[str, object]]]) -> list[Score]:
    """application → juror → {"values": {criterion: {"value", "comment"}}} as the scoring rules' `Score`s."""
    return [Score(juror, application, criterion, int(str(entry["value"])), str(entry.get("comment") or ""))
            for application, by_juror in given.items() for juror, sheet in by_juror.items()
            for criterion, entry in _values(sheet).items()]


def proposed(edition_id: UUID, proposal: Proposal, rubric: Rubric, tie_breaks: Sequence[str],
             at: datetime) -> messages.SelectionProposed:
    """The proposal with every figure, and a justification in Estonian and English for the places and the next."""
    notes = {j.application_id: j for j in proposal.justifications}
    selected = set(proposal.selected)
    ranking = tuple(messages.RankedApplication(
        application_id=UUID(s.application_id), rank=rank, selected=s.application_id in selected,
        score=s.score or 0.0, spread=s.spread, criteria=dict(s.criteria), artefacts=dict(s.artefacts),
        jurors=dict(s.jurors),
        outliers=tuple(messages.OutlierFlag(juror_id=o.juror_id, juror_score=o.juror_score,
                                            others_mean=o.others_mean) for o in s.outliers),
        tie_break=_tie_break(notes.get(s.application_id)),
        justification=_texts(notes.get(s.application_id), rubric))
        for rank, s in enumerate(proposal.ranking, start=1))
    return messages.SelectionProposed(
        edition_id=edition_id, ranking=ranking, selected=tuple(UUID(a) for a in proposal.selected),
        incomplete=tuple(UUID(s.application_id) for s in proposal.incomplete), agreement=dict(proposal.agreement),
        tie_breaks=tuple(tie_breaks), closed_at=at)


def given_scores(sheets: Mapping[str, Mapping[str, object]]) -> tuple[messages.GivenScore, ...]:
    """An applicant's own scores, criterion by criterion, with the comments and no juror named."""
    return tuple(messages.GivenScore(criterion=criterion, value=int(str(entry["value"])),
                                     comment=messages.Comment(text=str(entry["comment"])) if entry.get("comment")
                                     else None)
                 for sheet in sheets.values() for criterion, entry in sorted(_values(sheet).items()))


def _values(sheet: Mapping[str, object]) -> Mapping[str, Mapping[str, object]]:
    values = sheet["values"]
    assert isinstance(values, Mapping)
    return values


def _tie_break(note: Justification | None) -> messages.TieBreakNote | None:
    if note is None or note.tie_break is None:
        return None
    return messages.TieBreakNote(rule=note.tie_break.rule, other=UUID(note.tie_break.other),
                                 ahead=note.tie_break.ahead)


def _texts(note: Justification | None, rubric: Rubric) -> dict[str, str]:
    if note is None:
        return {}
    return {language: justification.render(note, rubric, language) for language in LANGUAGES}
