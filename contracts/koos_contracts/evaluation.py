"""Messages of the evaluation service: feedback surveys and their results."""

from typing import Annotated, ClassVar
from uuid import UUID

from pydantic import AwareDatetime, Field

from koos_contracts.base import Command, Event
from koos_contracts.scheduling import FeedbackQuestion
from koos_contracts.topics import EVALUATION_COMMANDS, SURVEYS, Topic
from koos_contracts.values import PERSONAL_SUBJECTS, Personal, Value

Rating = Annotated[int, Field(ge=1, le=5)]


class _SurveyEvent(Event):
    topic: ClassVar[Topic] = SURVEYS
    key_field: ClassVar[str] = "edition_id"

    edition_id: UUID


class SubmitFeedback(Command):
    """A participant's answers: a rating from 1 to 5 per question and an optional comment."""

    topic: ClassVar[Topic] = EVALUATION_COMMANDS
    key_field: ClassVar[str] = "edition_id"

    edition_id: UUID
    person_id: str
    ratings: dict[str, Rating]
    comment: Personal[Annotated[str, Field(max_length=2000)]] | None = None


class SurveyOpened(_SurveyEvent):
    """The feedback survey of an edition opened for its participants."""

    questions: tuple[FeedbackQuestion, ...]
    opened_at: AwareDatetime
    closes_at: AwareDatetime


class FeedbackRecorded(_SurveyEvent):
    """A participant's answers were recorded."""

    person_id: str
    recorded_at: AwareDatetime


class FeedbackRefused(_SurveyEvent):
    """A participant's answers were refused, with the reason."""

    person_id: str
    reason: str


class QuestionResult(Value):
    """How one question was rated."""

    key: str
    responses: int
    mean: float | None
    distribution: dict[str, int]


class SurveyResultsUpdated(_SurveyEvent):
    """The results of an edition's survey as they stand now."""

    invited: int
    responses: int
    response_rate: float
    questions: tuple[QuestionResult, ...]
    quotes: Annotated[tuple[Personal[str], ...], Field(json_schema_extra={PERSONAL_SUBJECTS: "quoted_by"})]
    quoted_by: tuple[str, ...] = ()
    """Who wrote each quote (their person id, in the order of `quotes`): whose key seals it."""


OUTCOMES = {SubmitFeedback: (FeedbackRecorded, FeedbackRefused)}
"""The events that answer each command, one of them exactly once, with the command's id as causation."""
