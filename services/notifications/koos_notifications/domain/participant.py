"""A person registered for an edition, with the contact data mails need."""

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from koos_contracts.values import is_erased_address
from koos_notifications.domain.cause import Cause

ParticipantStatus = Literal["confirmed", "waiting", "cancelled"]


@dataclass(frozen=True)
class Recipient:
    """Whom a mail goes to, and in which language."""

    person_id: str
    email: str
    name: str
    language: str

    @property
    def reachable(self) -> bool:
        """Whether a mail may go to this address: never to an erased person's placeholder."""
        return not is_erased_address(self.email)


@dataclass(frozen=True)
class ParticipantCopy:
    """A registration as notifications knows it; `seated_at`/`seated_by`: when and by which event it got a seat."""

    registration_id: str
    edition_id: str
    organisation_id: str
    recipient: Recipient
    status: ParticipantStatus
    seated_at: datetime | None = None
    seated_by: Cause | None = None

    @property
    def is_confirmed(self) -> bool:
        return self.status == "confirmed"

    @property
    def cause_of_reminders(self) -> Cause:
        """What the person's reminders follow from: the event that gave them their seat."""
        return self.seated_by or Cause(event_id=f"seat:{self.registration_id}", correlation_id=self.registration_id)


@dataclass(frozen=True)
class ParticipantChange:
    """What one event changes of a registration: its whole new standing, or (`participant` None) its cancellation."""

    registration_id: str
    event_id: str
    participant: ParticipantCopy | None = None

    @property
    def is_cancellation(self) -> bool:
        return self.participant is None
