"""How a survey looks as a MongoDB document, and back."""

from dataclasses import asdict
from typing import Any
from uuid import UUID

from koos_contracts.evaluation import QuestionResult
from koos_contracts.scheduling import FeedbackQuestion
from koos_evaluation.domain.results import Results
from koos_evaluation.domain.roster import Roster, Standing
from koos_evaluation.domain.survey import Survey

Document = dict[str, Any]


def state_of(survey: Survey, version: int) -> Document:
    """The stored fields of a survey (all but `_id` and the outbox)."""
    return {
        "organisation_id": survey.organisation_id,
        "version": version,
        "questions": [q.model_dump(mode="json") for q in survey.questions],
        "published": survey.published,
        "roster": [{"person_id": person_id, "participant": s.participant, "since": s.since}
                   for person_id, s in survey.roster.standings.items()],
        "status": survey.status,
        "opened_at": survey.opened_at,
        "closes_at": survey.closes_at,
        "recorded": list(survey.recorded),
        "results": _results_document(survey.results),
    }


def survey_from(document: Document) -> Survey:
    """The survey a stored document describes."""
    return Survey(
        edition_id=UUID(document["_id"]),
        organisation_id=document["organisation_id"],
        questions=tuple(FeedbackQuestion.model_validate(q) for q in document["questions"]),
        published=document["published"],
        roster=Roster({s["person_id"]: Standing(s["participant"], s["since"]) for s in document["roster"]}),
        status=document["status"],
        opened_at=document["opened_at"],
        closes_at=document["closes_at"],
        recorded=list(document["recorded"]),
        results=_results(document["results"]),
        version=document["version"],
    )


def _results_document(results: Results | None) -> Document | None:
    if results is None:
        return None
    return {**asdict(results), "questions": [q.model_dump() for q in results.questions],
            "quotes": list(results.quotes), "quoted_by": list(results.quoted_by)}


def _results(document: Document | None) -> Results | None:
    if document is None:
        return None
    return Results(invited=document["invited"], responses=document["responses"],
                   response_rate=document["response_rate"],
                   questions=tuple(QuestionResult.model_validate(q) for q in document["questions"]),
                   quotes=tuple(document["quotes"]), quoted_by=tuple(document.get("quoted_by", ())))
