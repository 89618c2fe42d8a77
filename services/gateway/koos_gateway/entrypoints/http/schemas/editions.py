"""Editions as the API takes and shows them."""

from datetime import date, datetime, time
from typing import Any, Literal
from uuid import UUID, uuid4

from pydantic import BaseModel, ConfigDict, Field, model_validator

from koos_contracts.scheduling import FeedbackQuestion, PublishEdition
from koos_contracts.values import ShortText, Venue
from koos_gateway.domain.editions import EditionView, SessionView, WindowState


class EditionCreate(PublishEdition):
    """The body of `POST /v1/editions`: a PublishEdition whose `edition_id` the gateway makes if it is left out."""

    edition_id: UUID | None = None  # type: ignore[assignment]

    def command(self) -> PublishEdition:
        """The command to send, with an id."""
        return PublishEdition(**{**self.model_dump(exclude={"edition_id"}), "edition_id": self.edition_id or uuid4()})


class SessionReschedule(BaseModel):
    """A session's new date and local times (in the edition's zone), and optionally a new venue."""

    model_config = ConfigDict(extra="forbid")

    date: date
    start: time
    end: time
    venue: Venue | None = None

    @model_validator(mode="after")
    def _ends_after_start(self) -> "SessionReschedule":
        if self.end <= self.start:
            raise ValueError(f"the session would end at {self.end:%H:%M}, not after it starts at {self.start:%H:%M}")
        return self


class SessionCancellation(BaseModel):
    """Why a session is cancelled (optional; participants are told)."""

    model_config = ConfigDict(extra="forbid")

    reason: ShortText | None = None


class SessionPublic(BaseModel):
    """A session as it stands; `sequence` counts its changes (moves, cancellation), as in the calendar feeds."""

    session_id: str
    title: dict[str, str] | None
    starts_at: datetime
    ends_at: datetime
    venue: Venue
    status: Literal["scheduled", "cancelled"]
    sequence: int
    cancel_reason: str | None = None

    @classmethod
    def of(cls, session: SessionView) -> "SessionPublic":
        return cls(session_id=session.session_id, title=session.title, starts_at=session.starts_at,
                   ends_at=session.ends_at, venue=session.venue, status=session.status,
                   sequence=session.revision, cancel_reason=session.cancel_reason)


class EditionPublic(BaseModel):
    """What anyone may see of a published edition: no personal data."""

    edition_id: str
    kind: str
    title: dict[str, str]
    description: dict[str, str]
    timezone: str
    starts_on: date
    ends_on: date
    registration_opens_at: datetime
    registration_closes_at: datetime
    registration: WindowState = Field(description="Whether registration is open now.")
    seats_left: int = Field(description="Free seats, as registration last counted them.")
    waiting: int = Field(description="How many wait in line for a seat.")
    sessions: list[SessionPublic]
    links: dict[str, str]

    @classmethod
    def of(cls, edition: EditionView, now: datetime) -> "EditionPublic":
        return cls(**_public_fields(edition, now))


class EditionDetail(EditionPublic):
    """An edition as its organisation's staff see it."""

    organisation_id: str
    capacity: int
    confirmed: int
    reminder_offsets_minutes: list[int]
    feedback_questions: list[FeedbackQuestion]

    @classmethod
    def of_staff(cls, edition: EditionView, now: datetime) -> "EditionDetail":
        links = {"self": f"/v1/editions/{edition.edition_id}",
                 "registrations": f"/v1/editions/{edition.edition_id}/registrations",
                 "feedback": f"/v1/editions/{edition.edition_id}/feedback"}
        fields = _public_fields(edition, now)
        return cls(**{**fields, "links": {**fields["links"], **links}}, organisation_id=edition.organisation_id,
                   capacity=edition.capacity, confirmed=edition.capacity - edition.seats_left(),
                   reminder_offsets_minutes=list(edition.reminder_offsets_minutes),
                   feedback_questions=list(edition.feedback_questions))


class EditionList(BaseModel):
    """A page of an organisation's editions, the latest first."""

    items: list[EditionDetail]
    limit: int
    offset: int


def _public_fields(edition: EditionView, now: datetime) -> dict[str, Any]:
    base = f"/v1/public/editions/{edition.edition_id}"
    return dict(
        edition_id=edition.edition_id, kind=edition.kind, title=edition.title, description=edition.description,
        timezone=edition.timezone, starts_on=edition.starts_on, ends_on=edition.ends_on,
        registration_opens_at=edition.registration_opens_at, registration_closes_at=edition.registration_closes_at,
        registration=edition.window_at(now), seats_left=edition.seats_left(), waiting=edition.in_line(),
        sessions=[SessionPublic.of(s) for s in edition.sessions],
        links={"public": base, "register": f"{base}/registrations",
               "calendar": f"/v1/editions/{edition.edition_id}/calendar.ics"})
