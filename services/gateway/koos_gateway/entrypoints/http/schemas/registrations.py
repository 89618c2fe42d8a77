"""Registrations as the API shows them."""

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, Field, field_validator

from koos_contracts.registration import OptionalPurpose, Purpose
from koos_contracts.values import Person, ShortText
from koos_gateway.domain.registrations import NEVER, Status
from koos_gateway.service_layer.registrations import Placed, Roster, SignUp


class ConsentGiven(BaseModel):
    """What the person agreed to on the sign-up form: `course` (required) and optional uses, and the version of the
    wording they were shown; the gateway adds the time."""

    purposes: Annotated[tuple[Purpose, ...], Field(min_length=1, max_length=5)]
    wording_version: ShortText

    @field_validator("purposes")
    @classmethod
    def _includes_the_course(cls, purposes: tuple[Purpose, ...]) -> tuple[Purpose, ...]:
        if "course" not in purposes:
            raise ValueError("signing up needs consent to the use of the data for the course ('course')")
        return purposes


class SignUpRequest(Person):
    """A person signing up, with the consent they gave (optional for callers that record consent elsewhere)."""

    consent: ConsentGiven | None = None

    def person(self) -> Person:
        return Person(email=self.email, name=self.name, language=self.language)


class ConsentWithdrawal(BaseModel):
    """Optional uses of the person's data they no longer agree to."""

    purposes: Annotated[tuple[OptionalPurpose, ...], Field(min_length=1, max_length=5)]


class RegistrationPublic(BaseModel):
    """A registration's status; `waiting_position` is the current place in line (1 = next)."""

    registration_id: str
    edition_id: str
    status: Status
    waiting_position: int | None = None
    reason: str | None = None
    updated_at: datetime | None = Field(default=None, description="When the newest decision about it was made.")
    links: dict[str, str]

    @classmethod
    def of(cls, placed: Placed) -> "RegistrationPublic":
        registration = placed.registration
        return cls(registration_id=registration.registration_id, edition_id=registration.edition_id,
                   status=registration.status, waiting_position=placed.waiting_position, reason=registration.reason,
                   updated_at=None if registration.occurred_at == NEVER else registration.occurred_at,
                   links={"self": f"/v1/registrations/{registration.registration_id}",
                          "edition": f"/v1/public/editions/{registration.edition_id}"})


class RegistrationAccepted(RegistrationPublic):
    """The answer to a registration: its id and status so far; the person's own link comes by mail."""

    command_id: str

    @classmethod
    def of_sign_up(cls, sign_up: SignUp) -> "RegistrationAccepted":
        return cls(**RegistrationPublic.of(sign_up.placed).model_dump(), command_id=sign_up.command.command_id)


class RosterEntry(BaseModel):
    """A person on an edition's lists, with contact data for the organisers."""

    registration_id: str
    person_id: str
    name: str | None
    email: str | None
    language: str | None
    status: Status
    waiting_position: int | None = None
    since: datetime

    @classmethod
    def of(cls, placed: Placed) -> "RosterEntry":
        registration, contact = placed.registration, placed.registration.contact
        return cls(registration_id=registration.registration_id, person_id=registration.person_id,
                   name=contact.name if contact else None, email=contact.email if contact else None,
                   language=contact.language if contact else None, status=registration.status,
                   waiting_position=placed.waiting_position, since=registration.occurred_at)


class RosterPublic(BaseModel):
    """Who holds a seat and who waits, in the order of the line."""

    edition_id: str
    capacity: int
    seats_left: int
    confirmed: list[RosterEntry]
    waiting: list[RosterEntry]

    @classmethod
    def of(cls, roster: Roster) -> "RosterPublic":
        return cls(edition_id=roster.edition.edition_id, capacity=roster.edition.capacity,
                   seats_left=roster.edition.seats_left(),
                   confirmed=[RosterEntry.of(p) for p in roster.confirmed],
                   waiting=[RosterEntry.of(p) for p in roster.waiting])
