"""Feedback as the API takes and shows it."""

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from koos_contracts.evaluation import QuestionResult, Rating
from koos_contracts.scheduling import FeedbackQuestion
from koos_gateway.domain.commands import CommandRecord
from koos_gateway.domain.surveys import SurveyForm, SurveyResultsView


class FeedbackSubmission(BaseModel):
    """A participant's answers: a rating from 1 to 5 per question key, and an optional comment."""

    model_config = ConfigDict(extra="forbid")

    ratings: Annotated[dict[str, Rating], Field(min_length=1, max_length=20)]
    comment: Annotated[str, Field(max_length=2000)] | None = None


class FeedbackAccepted(BaseModel):
    """The answers were sent to evaluation (`pending`) or recorded (`recorded`)."""

    command_id: str
    status: Literal["pending", "recorded"]
    links: dict[str, str]

    @classmethod
    def of(cls, record: CommandRecord) -> "FeedbackAccepted":
        return cls(command_id=record.command_id, status="recorded" if record.status == "succeeded" else "pending",
                   links={"command": f"/v1/commands/{record.command_id}"})


class FeedbackResults(BaseModel):
    """An edition's survey results as they stand: response rate, per-question figures and quotes."""

    edition_id: str
    invited: int
    responses: int
    response_rate: float
    questions: list[QuestionResult]
    quotes: list[str]
    updated_at: datetime

    @classmethod
    def of(cls, view: SurveyResultsView) -> "FeedbackResults":
        results = view.results
        return cls(edition_id=str(results.edition_id), invited=results.invited, responses=results.responses,
                   response_rate=results.response_rate, questions=list(results.questions), quotes=list(results.quotes),
                   updated_at=view.occurred_at)


class FeedbackForm(BaseModel):
    """An open survey: the questions to rate from 1 to 5, until when, and where to send the answers."""

    edition_id: str
    questions: list[FeedbackQuestion]
    closes_at: datetime
    links: dict[str, str]

    @classmethod
    def of(cls, form: SurveyForm) -> "FeedbackForm":
        opened = form.opened
        return cls(edition_id=str(opened.edition_id), questions=list(opened.questions), closes_at=opened.closes_at,
                   links={"answer": f"/v1/editions/{opened.edition_id}/feedback"})
