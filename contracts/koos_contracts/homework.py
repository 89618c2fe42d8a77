"""Messages of evaluation about a programme's homework: set per workshop for every accepted team, submitted by a
member of the team, reviewed by a trainer (accepted, or changes requested), resubmitted; every version kept.

Evaluation learns a programme's teams from registration's team events. A team's submission is text a person
wrote (sealed with the submitter's key) and attachments: files stored by the gateway (by their key and size) or
links. A trainer's comments are text a person wrote too.
"""

from typing import Annotated, ClassVar, Literal
from uuid import UUID

from pydantic import AwareDatetime, Field

from koos_contracts.base import Command, Event
from koos_contracts.topics import EVALUATION_COMMANDS, HOMEWORK, Topic
from koos_contracts.values import LocalizedLongText, LocalizedText, LongText, Personal, ShortText, Value

HomeworkKey = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,39}$")]
HomeworkCommandName = Literal["set", "submit", "review"]
HomeworkRefusalCode = Literal["unknown_programme", "unknown_homework", "not_a_team", "not_a_member",
                              "accepted_already", "waiting_for_review", "too_large", "nothing_to_review",
                              "changes_unsaid"]
ReviewOutcome = Literal["accepted", "changes_requested"]
HomeworkStatus = Literal["not_started", "submitted", "changes_requested", "resubmitted", "accepted", "late"]
"""A team's standing on a homework, as the organiser's grid shows it."""
MAX_SUBMISSION_BYTES = 10 * 1024 * 1024
"""What one version may weigh, its text and attachments together (larger files are given as links)."""


class Attachment(Value):
    """A file the gateway stored (`key`, `size_bytes`) or a link (`link`, size 0)."""

    name: ShortText
    size_bytes: Annotated[int, Field(ge=0)] = 0
    key: Annotated[str, Field(pattern=r"^[A-Za-z0-9._-]{1,200}$")] | None = None
    link: Annotated[str, Field(max_length=2000, pattern=r"^https?://\S+$")] | None = None


class _HomeworkCommand(Command):
    topic: ClassVar[Topic] = EVALUATION_COMMANDS
    key_field: ClassVar[str] = "programme_id"

    programme_id: UUID
    homework_key: HomeworkKey


class _HomeworkEvent(Event):
    topic: ClassVar[Topic] = HOMEWORK
    key_field: ClassVar[str] = "programme_id"

    programme_id: UUID
    homework_key: HomeworkKey


class SetHomework(_HomeworkCommand):
    """Set (or change the title, description or due time of) a homework for every accepted team of the programme."""

    title: LocalizedText
    description: LocalizedLongText = Field(default_factory=dict)
    due_at: AwareDatetime
    workshop_key: ShortText | None = None


class SubmitHomework(_HomeworkCommand):
    """A member of the team hands in a version of the team's homework."""

    team_id: UUID
    person_id: str
    text: Personal[LongText] = ""
    attachments: Annotated[tuple[Attachment, ...], Field(max_length=20)] = ()


class ReviewHomework(_HomeworkCommand):
    """A trainer accepts the team's newest version, or asks for changes with comments."""

    team_id: UUID
    version_number: Annotated[int, Field(ge=1)]
    accepted: bool
    comments: Personal[LongText] = ""
    reviewer_id: ShortText


class HomeworkSet(_HomeworkEvent):
    """A homework is set (again: changed) for these teams, due then."""

    title: LocalizedText
    description: LocalizedLongText
    due_at: AwareDatetime
    workshop_key: ShortText | None
    team_ids: tuple[UUID, ...]


class HomeworkSubmitted(_HomeworkEvent):
    """A team handed in a version (after the due time: `late`)."""

    team_id: UUID
    version_number: int
    person_id: str
    text: Personal[LongText]
    attachments: tuple[Attachment, ...]
    submitted_at: AwareDatetime
    late: bool
    status: HomeworkStatus | None = None
    """The team's standing on the homework after it (the grid's cell)."""


class HomeworkReviewed(_HomeworkEvent):
    """A trainer reviewed a team's version."""

    team_id: UUID
    version_number: int
    outcome: ReviewOutcome
    comments: Personal[LongText]
    reviewer_id: str
    reviewed_at: AwareDatetime
    status: HomeworkStatus | None = None
    """The team's standing on the homework after it (the grid's cell)."""


class HomeworkRefused(_HomeworkEvent):
    """A homework command that the rules refuse, with the reason a person can read."""

    command: HomeworkCommandName
    team_id: UUID | None = None
    reason_code: HomeworkRefusalCode
    reason: ShortText


OUTCOMES: dict[type[Command], tuple[type[Event], ...]] = {
    SetHomework: (HomeworkSet, HomeworkRefused),
    SubmitHomework: (HomeworkSubmitted, HomeworkRefused),
    ReviewHomework: (HomeworkReviewed, HomeworkRefused),
}
"""The events that answer each command, one of them exactly once, with the command's id as causation."""
