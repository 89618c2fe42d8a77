"""A person's registration for an edition, the facts its changes raise, and the commands it has answered."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal
from uuid import UUID

from koos_contracts import Event
from koos_contracts.registration import (
    Consent,
    ConsentWithdrawn,
    OptionalPurpose,
    RegistrationCancelled,
    RegistrationConfirmed,
    RegistrationPromoted,
    RegistrationRefused,
    RegistrationUnchanged,
    RegistrationWaitlisted,
)
from koos_contracts.values import Participant
from koos_registration.domain.offer import Refusal

Status = Literal["new", "confirmed", "waiting", "cancelled", "refused"]
REMEMBERED_COMMANDS = 20
"""How many command ids a registration remembers: a command consumed again within them changes nothing."""


class InvalidTransition(Exception):
    """A change that the registration's status does not allow."""


@dataclass
class Registration:
    """One person's seat, place in line, or refused attempt, for one edition."""

    registration_id: UUID
    edition_id: UUID
    organisation_id: str
    participant: Participant
    status: Status = "new"
    queue_number: int | None = None
    version: int = 0
    applied: list[str] = field(default_factory=list)
    consent: Consent | None = None
    events: list[Event] = field(default_factory=list)

    @property
    def is_active(self) -> bool:
        """Holding a seat or a place in line."""
        return self.status in ("confirmed", "waiting")

    def waits_at(self, queue_number: int) -> bool:
        """Whether the person still waits at this place (someone who left and came back has a later one)."""
        return self.status == "waiting" and self.queue_number == queue_number

    def has_applied(self, command_id: str) -> bool:
        """Whether this command was applied to the registration before."""
        return command_id in self.applied

    def note(self, command_id: str) -> None:
        """Remember that a command was applied."""
        self.applied = [*self.applied, command_id][-REMEMBERED_COMMANDS:]

    def confirm(self, now: datetime) -> None:
        """The person got a seat."""
        self._require("new", "cancelled", "refused")
        self.status, self.queue_number = "confirmed", None
        self.events.append(RegistrationConfirmed(**self._ids(), participant=self.participant, confirmed_at=now,
                                                 consent=self.consent))

    def waitlist(self, queue_number: int, position: int, now: datetime) -> None:
        """The person joins the line; `queue_number` keeps arrival order."""
        self._require("new", "cancelled", "refused")
        self.status, self.queue_number = "waiting", queue_number
        self.events.append(RegistrationWaitlisted(**self._ids(), participant=self.participant,
                                                  queue_number=queue_number, position=position, waitlisted_at=now,
                                                  consent=self.consent))

    def promote(self, now: datetime) -> None:
        """A freed seat goes to this person, who was waiting."""
        self._require("waiting")
        self.status, self.queue_number = "confirmed", None
        self.events.append(RegistrationPromoted(**self._ids(), participant=self.participant, promoted_at=now))

    def cancel(self, now: datetime) -> None:
        """The person gives up the seat or leaves the line."""
        self._require("confirmed", "waiting")
        previous = self.status
        self.status, self.queue_number = "cancelled", None
        self.events.append(RegistrationCancelled(**self._ids(), person_id=self.participant.person_id,
                                                 previous_status=previous, cancelled_at=now))

    def withdraw_consent(self, purposes: tuple[OptionalPurpose, ...], now: datetime) -> None:
        """The person no longer agrees to these optional uses of their data; the registration itself stays."""
        if self.consent is not None:
            kept = tuple(p for p in self.consent.purposes if p not in purposes)
            self.consent = self.consent.model_copy(update={"purposes": kept})
        self.events.append(ConsentWithdrawn(**self._ids(), person_id=self.participant.person_id, withdrawn=purposes,
                                            purposes=self.consent.purposes if self.consent else (),
                                            withdrawn_at=now))

    def refuse(self, refusal: Refusal) -> None:
        """The attempt is refused; a person who had cancelled stays cancelled."""
        self._require("new", "cancelled", "refused")
        if self.status == "new":
            self.status = "refused"
        self.events.append(RegistrationRefused(**self._ids(), participant=self.participant,
                                               reason_code=refusal.code, reason=refusal.reason))

    def unchanged(self) -> None:
        """A repeated command: the registration stands as it was, and says so."""
        status = self.status if self.status in ("confirmed", "waiting", "cancelled") else "cancelled"
        self.events.append(RegistrationUnchanged(**self._ids(), person_id=self.participant.person_id,
                                                 status=status, queue_number=self.queue_number))

    def take_events(self) -> list[Event]:
        """The facts raised since the last call."""
        events, self.events = self.events, []
        return events

    def _ids(self) -> dict[str, UUID]:
        return {"registration_id": self.registration_id, "edition_id": self.edition_id}

    def _require(self, *allowed: Status) -> None:
        if self.status not in allowed:
            raise InvalidTransition(f"a {self.status} registration cannot change that way")
