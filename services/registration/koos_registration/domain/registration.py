"""A person's registration for an edition, and the facts its changes raise."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal
from uuid import UUID

from koos_contracts import Event
from koos_contracts.registration import (
    RegistrationCancelled,
    RegistrationConfirmed,
    RegistrationPromoted,
    RegistrationWaitlisted,
)
from koos_contracts.values import Participant

Status = Literal["new", "confirmed", "waiting", "cancelled"]


class InvalidTransition(Exception):
    """A change that the registration's status does not allow."""


@dataclass
class Registration:
    """One person's place (or place in line) for one edition."""

    registration_id: UUID
    edition_id: UUID
    organisation_id: str
    participant: Participant
    status: Status = "new"
    queue_number: int | None = None
    version: int = 0
    events: list[Event] = field(default_factory=list)

    @property
    def is_active(self) -> bool:
        return self.status in ("confirmed", "waiting")

    def confirm(self, now: datetime) -> None:
        """The person got a seat."""
        self._require("new", "cancelled")
        self.status, self.queue_number = "confirmed", None
        self.events.append(RegistrationConfirmed(**self._ids(), participant=self.participant, confirmed_at=now))

    def waitlist(self, queue_number: int, position: int, now: datetime) -> None:
        """The person joins the line; `queue_number` keeps arrival order."""
        self._require("new", "cancelled")
        self.status, self.queue_number = "waiting", queue_number
        self.events.append(RegistrationWaitlisted(**self._ids(), participant=self.participant,
                                                  queue_number=queue_number, position=position, waitlisted_at=now))

    def promote(self, now: datetime) -> None:
        """A freed seat goes to this person, who was waiting."""
        self._require("waiting")
        self.status, self.queue_number = "confirmed", None
        self.events.append(RegistrationPromoted(**self._ids(), participant=self.participant, promoted_at=now))

    def cancel(self, now: datetime) -> None:
        """The person gives up the seat or leaves the line."""
        self._require("confirmed", "waiting")
        previous = self.status
        self.status = "cancelled"
        self.events.append(RegistrationCancelled(**self._ids(), person_id=self.participant.person_id,
                                                 previous_status=previous, cancelled_at=now))

    def _ids(self) -> dict[str, UUID]:
        return {"registration_id": self.registration_id, "edition_id": self.edition_id}

    def _require(self, *allowed: Status) -> None:
        if self.status not in allowed:
            raise InvalidTransition(f"a {self.status} registration cannot change that way")
