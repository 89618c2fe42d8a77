"""Messages of the scheduling service: editions of programmes and their sessions."""

from datetime import date, time
from typing import Annotated, ClassVar, Literal
from uuid import UUID

from pydantic import AwareDatetime, Field, model_validator

from koos_contracts.base import Command, Event
from koos_contracts.topics import EDITIONS, SCHEDULING_COMMANDS, Topic
from koos_contracts.values import LocalizedLongText, LocalizedText, ShortText, TimeZoneName, Value, Venue

Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{0,39}$")]
ProgrammeKind = Literal["open_course"]
ReminderOffsets = Annotated[tuple[Annotated[int, Field(ge=1, le=43200)], ...], Field(max_length=5)]


class SessionPlan(Value):
    """A session as an organiser plans it: a local date and local times in the edition's zone."""

    session_id: Slug
    title: LocalizedText | None = None
    date: date
    start: time
    end: time
    venue: Venue

    @model_validator(mode="after")
    def _ends_after_start(self) -> "SessionPlan":
        if self.end <= self.start:
            raise ValueError(
                f"session {self.session_id} ends at {self.end:%H:%M}, not after it starts at {self.start:%H:%M}")
        return self


class FeedbackQuestion(Value):
    """A question rated from 1 to 5 in the feedback survey."""

    key: Slug
    text: LocalizedText


class ScheduledSession(Value):
    """A session as scheduled: absolute instants."""

    session_id: Slug
    title: LocalizedText | None = None
    starts_at: AwareDatetime
    ends_at: AwareDatetime
    venue: Venue


class _SchedulingCommand(Command):
    topic: ClassVar[Topic] = SCHEDULING_COMMANDS
    key_field: ClassVar[str] = "edition_id"


class _EditionEvent(Event):
    topic: ClassVar[Topic] = EDITIONS
    key_field: ClassVar[str] = "edition_id"

    edition_id: UUID


class PublishEdition(_SchedulingCommand):
    """Publish an edition of a programme with its sessions, seats and registration window."""

    edition_id: UUID
    kind: ProgrammeKind = "open_course"
    title: LocalizedText
    description: LocalizedLongText = Field(default_factory=dict)
    timezone: TimeZoneName
    starts_on: date
    ends_on: date
    capacity: Annotated[int, Field(ge=1, le=100_000)]
    registration_opens_at: AwareDatetime
    registration_closes_at: AwareDatetime
    sessions: Annotated[tuple[SessionPlan, ...], Field(min_length=1, max_length=100)]
    reminder_offsets_minutes: ReminderOffsets = (2880, 120)
    feedback_questions: Annotated[tuple[FeedbackQuestion, ...], Field(max_length=20)] = ()


class RescheduleSession(_SchedulingCommand):
    """Move a session to another date, time or venue."""

    edition_id: UUID
    session_id: Slug
    date: date
    start: time
    end: time
    venue: Venue | None = None


class CancelSession(_SchedulingCommand):
    """Cancel one session of an edition."""

    edition_id: UUID
    session_id: Slug
    reason: ShortText | None = None


class MarkSessionHeld(_SchedulingCommand):
    """Mark a session as held now rather than when the clock passes its end, so the survey can open.

    Every earlier session not yet ended is marked held too. With `closes_edition` the course ends early: every
    later session is cancelled (participants are told), so this one is the last.
    """

    edition_id: UUID
    session_id: Slug
    closes_edition: bool = False


class EditionPublished(_EditionEvent):
    """An edition was published: its sessions, seats, window, reminders and survey questions."""

    kind: ProgrammeKind
    title: LocalizedText
    description: LocalizedLongText
    timezone: TimeZoneName
    starts_on: date
    ends_on: date
    capacity: int
    registration_opens_at: AwareDatetime
    registration_closes_at: AwareDatetime
    sessions: tuple[ScheduledSession, ...]
    reminder_offsets_minutes: tuple[int, ...]
    feedback_questions: tuple[FeedbackQuestion, ...]

    def subject(self) -> str:
        return str(self.edition_id)


class EditionPublicationRefused(_EditionEvent):
    """A request to publish an edition was refused, with the reason."""

    reason: str


class SessionRescheduled(_EditionEvent):
    """A session moved; both the old and the new place in time are given."""

    session_id: Slug
    starts_at: AwareDatetime
    ends_at: AwareDatetime
    venue: Venue
    previous_starts_at: AwareDatetime
    previous_ends_at: AwareDatetime
    previous_venue: Venue

    def subject(self) -> str:
        return self.session_id


class SessionCancelled(_EditionEvent):
    """A session was cancelled."""

    session_id: Slug
    starts_at: AwareDatetime
    reason: str | None = None

    def subject(self) -> str:
        return self.session_id


class ScheduleChangeRefused(_EditionEvent):
    """A reschedule or cancellation was refused, with the reason."""

    session_id: str
    reason: str


class SessionEnded(_EditionEvent):
    """A session's end time passed, or an organiser marked it held; the last one of an edition says so."""

    session_id: Slug
    ended_at: AwareDatetime
    last_of_edition: bool

    def subject(self) -> str:
        return self.session_id


class EditionUnchanged(_EditionEvent):
    """The same edition, with the same plan, was published before: the repeated request changed nothing."""

    def subject(self) -> str:
        return str(self.edition_id)


OUTCOMES = {
    PublishEdition: (EditionPublished, EditionPublicationRefused, EditionUnchanged),
    RescheduleSession: (SessionRescheduled, ScheduleChangeRefused),
    CancelSession: (SessionCancelled, ScheduleChangeRefused),
    MarkSessionHeld: (SessionEnded, ScheduleChangeRefused),
}
"""The events that answer each command, one of them exactly once, with the command's id as causation."""


class MentoringSession(Value):
    """A monthly mentoring session of a selected institution with its mentor."""

    application_id: UUID
    mentor_id: str
    starts_at: AwareDatetime
    ends_at: AwareDatetime


class MentoringUnmet(Value):
    """Sessions an institution is owed but did not get, and why."""

    application_id: UUID
    missing: int
    code: str
    reason: str


class MentoringPlanned(_EditionEvent):
    """The mentoring phase's monthly sessions, planned by the counselling solver from mentors' and institutions'
    free times, each institution only with its own mentor."""

    sessions: tuple[MentoringSession, ...]
    unmet: tuple[MentoringUnmet, ...]
    status: str
    months: int

    def subject(self) -> str:
        return str(self.edition_id)
