"""Sessions held, full rosters with mail logs, and what a person may follow without credentials."""

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field

from koos_contracts.registration import RegistrationUnchanged
from koos_gateway.domain.commands import CommandRecord
from koos_gateway.domain.ledgers import DeliveryState, DeliveryView, EditionProgress
from koos_gateway.domain.registrations import Status
from koos_gateway.entrypoints.http.schemas.registrations import RosterEntry
from koos_gateway.service_layer.people import FullRoster
from koos_gateway.service_layer.registrations import Placed


class SessionHeld(BaseModel):
    """`closes_edition`: the course ends early with this session; every later one is cancelled."""

    model_config = ConfigDict(extra="forbid")

    closes_edition: bool = False


class ProgressPublic(BaseModel):
    """Sessions held (their end passed or an organiser said so) and whether the course is over."""

    edition_id: str
    held: dict[str, datetime]
    over: bool

    @classmethod
    def of(cls, progress: EditionProgress) -> "ProgressPublic":
        return cls(edition_id=progress.edition_id, held=dict(progress.held), over=progress.over)


class DeliveryPublic(BaseModel):
    """One mail: `in_doubt` means it was sent again after a lost outcome and may have arrived twice."""

    notification_id: str
    kind: str
    state: DeliveryState
    at: datetime
    attempts: int
    reason: str | None = None

    @classmethod
    def of(cls, delivery: DeliveryView) -> "DeliveryPublic":
        return cls(notification_id=delivery.notification_id, kind=delivery.kind, state=delivery.state,
                   at=delivery.at, attempts=delivery.attempts, reason=delivery.reason)


class PersonPublic(RosterEntry):
    """A person on the lists with their mails about the edition, the oldest first."""

    mails: list[DeliveryPublic]

    @classmethod
    def of_person(cls, placed: Placed, mails: list[DeliveryView]) -> "PersonPublic":
        return cls(**RosterEntry.of(placed).model_dump(), mails=[DeliveryPublic.of(m) for m in mails])


class FullRosterPublic(BaseModel):
    """Confirmed, waiting in the order of the line, and cancelled (the latest first), each with their mails."""

    edition_id: str
    capacity: int
    seats_left: int
    confirmed: list[PersonPublic]
    waiting: list[PersonPublic]
    cancelled: list[PersonPublic]

    @classmethod
    def of(cls, full: FullRoster) -> "FullRosterPublic":
        roster = full.roster

        def people(placed: list[Placed]) -> list[PersonPublic]:
            return [PersonPublic.of_person(p, full.mails.get(p.registration.person_id, [])) for p in placed]

        return cls(edition_id=roster.edition.edition_id, capacity=roster.edition.capacity,
                   seats_left=roster.edition.seats_left(), confirmed=people(roster.confirmed),
                   waiting=people(roster.waiting), cancelled=people(full.cancelled))


class SignUpDecision(BaseModel):
    """How a sign-up turned out: `pending` until registration decided; no personal data.

    `mailed`: the address was registered already; its owner has been mailed their links again. Whoever signed
    up learns neither the registration's status nor its place in line."""

    status: Status | Literal["mailed"]
    edition_id: str | None = None
    registration_id: str | None = None
    waiting_position: int | None = None
    reason: str | None = None
    reason_code: str | None = None

    @classmethod
    def of(cls, record: CommandRecord, placed: Placed | None) -> "SignUpDecision":
        if record.status == "refused":
            return cls(status="refused", reason=record.reason, reason_code=record.reason_code)
        if record.outcome_type == RegistrationUnchanged.ce_type():
            return cls(status="mailed")
        if placed is None:
            return cls(status="pending")
        registration = placed.registration
        return cls(status=registration.status, edition_id=registration.edition_id,
                   registration_id=registration.registration_id, waiting_position=placed.waiting_position)


class LinksRequest(BaseModel):
    """The address a person signed up with."""

    model_config = ConfigDict(extra="forbid")

    email: EmailStr


class LinksRequested(BaseModel):
    """The same answer whether or not the address is registered."""

    status: str = Field(default="accepted", examples=["accepted"])
