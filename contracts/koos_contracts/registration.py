"""Messages of the registration service: seats, the waiting list and cancellations."""

from typing import Annotated, ClassVar, Literal
from uuid import UUID

from pydantic import AwareDatetime, Field

from koos_contracts.base import Command, Event
from koos_contracts.identity import person_id_for, registration_id_for, registration_id_of
from koos_contracts.topics import REGISTRATION_COMMANDS, REGISTRATIONS, Topic
from koos_contracts.values import Participant, Person, Personal, ShortText, Value

RefusalCode = Literal["unknown_edition", "not_open_yet", "closed"]
CancellationRefusalCode = Literal["unknown_registration"]
RegistrationStatus = Literal["confirmed", "waiting"]
Purpose = Literal["course", "next_editions"]
"""What a person's data may be used for: `course` runs the edition they signed up for (needed to sign up);
`next_editions` tells them of the programme's next editions (optional, and may be withdrawn)."""
OptionalPurpose = Literal["next_editions"]
StandingStatus = Literal["confirmed", "waiting", "cancelled"]


class _RegistrationCommand(Command):
    topic: ClassVar[Topic] = REGISTRATION_COMMANDS
    key_field: ClassVar[str] = "edition_id"


class _RegistrationEvent(Event):
    topic: ClassVar[Topic] = REGISTRATIONS
    key_field: ClassVar[str] = "edition_id"

    registration_id: UUID
    edition_id: UUID

    def subject(self) -> str:
        return str(self.registration_id)


class Consent(Value):
    """What a person agreed to at sign-up: the purposes, the version of the wording they were shown, and when."""

    purposes: Annotated[tuple[Purpose, ...], Field(min_length=1, max_length=5)]
    wording_version: ShortText
    given_at: AwareDatetime


class RegisterParticipant(_RegistrationCommand):
    """Register a person for an edition; registering again is the same registration."""

    edition_id: UUID
    person: Person
    consent: Consent | None = None

    @property
    def registration_id(self) -> UUID:
        """The registration of a person without a subject id (see `registration_id_in`)."""
        return registration_id_for(self.edition_id, self.person.email)

    def registration_id_in(self, organisation_id: str) -> UUID:
        """The registration this command makes within its organisation (`identity.registration_id_of`)."""
        return registration_id_of(self.edition_id, self.person.email, organisation_id, self.person.subject_id)

    def person_id_in(self, organisation_id: str) -> str:
        """The person's pseudonymous id: their subject id, else the one derived from their address."""
        return self.person.subject_id or person_id_for(organisation_id, self.person.email)


class CancelRegistration(_RegistrationCommand):
    """Cancel a registration, or leave the waiting list."""

    edition_id: UUID
    registration_id: UUID
    reason: Personal[ShortText] | None = None
    person_id: str | None = None
    """The person's pseudonymous id, when the sender knows it: whose key seals `reason`."""


class WithdrawConsent(_RegistrationCommand):
    """Withdraw a person's consent to optional uses of their data (the registration itself stays)."""

    edition_id: UUID
    registration_id: UUID
    purposes: Annotated[tuple[OptionalPurpose, ...], Field(min_length=1, max_length=5)]


class RegistrationConfirmed(_RegistrationEvent):
    """A person got a seat."""

    participant: Participant
    confirmed_at: AwareDatetime
    consent: Consent | None = None


class RegistrationWaitlisted(_RegistrationEvent):
    """A person joined the waiting list; `position` counts from 1 at the time of joining."""

    participant: Participant
    queue_number: int
    position: int
    waitlisted_at: AwareDatetime
    consent: Consent | None = None


class RegistrationPromoted(_RegistrationEvent):
    """A person on the waiting list got a freed seat."""

    participant: Participant
    promoted_at: AwareDatetime


class RegistrationCancelled(_RegistrationEvent):
    """A registration was cancelled, or a person left the waiting list."""

    person_id: str
    previous_status: RegistrationStatus
    cancelled_at: AwareDatetime


class RegistrationRefused(_RegistrationEvent):
    """A registration was refused, with a reason a person can read."""

    participant: Participant
    reason_code: RefusalCode
    reason: str


class RegistrationUnchanged(_RegistrationEvent):
    """A command changed nothing: the person was registered already, or had cancelled already.

    It is the outcome of a repeated sign-up or a repeated cancellation, so that every command is answered.
    """

    person_id: str
    status: StandingStatus
    queue_number: int | None = None


class CancellationRefused(_RegistrationEvent):
    """A cancellation was refused, with a reason a person can read (no such registration here)."""

    reason_code: CancellationRefusalCode
    reason: str


class ConsentWithdrawn(_RegistrationEvent):
    """A person withdrew consent to optional uses of their data; `purposes` are what they still agree to."""

    person_id: str
    withdrawn: tuple[OptionalPurpose, ...]
    purposes: tuple[Purpose, ...]
    withdrawn_at: AwareDatetime


class ConsentWithdrawalRefused(_RegistrationEvent):
    """A withdrawal of consent was refused, with a reason a person can read (no such registration here)."""

    reason_code: CancellationRefusalCode
    reason: str


class SeatsChanged(Event):
    """How an edition's seats and line stand after a batch of decisions (`sequence` grows with each batch)."""

    topic: ClassVar[Topic] = REGISTRATIONS
    key_field: ClassVar[str] = "edition_id"

    edition_id: UUID
    capacity: int
    taken: int
    in_line: int
    sequence: int

    def subject(self) -> str:
        return str(self.edition_id)


OUTCOMES: dict[type[Command], tuple[type[Event], ...]] = {
    RegisterParticipant: (RegistrationConfirmed, RegistrationWaitlisted, RegistrationRefused, RegistrationUnchanged),
    CancelRegistration: (RegistrationCancelled, CancellationRefused, RegistrationUnchanged),
    WithdrawConsent: (ConsentWithdrawn, ConsentWithdrawalRefused),
}
"""The events that answer each command, one of them exactly once, with the command's id as causation."""
