"""A person registered for an edition, with the contact data mails need."""

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

ParticipantStatus = Literal["confirmed", "waiting", "cancelled"]


@dataclass(frozen=True)
class Recipient:
    """Whom a mail goes to, and in which language."""

    person_id: str
    email: str
    name: str
    language: str


@dataclass(frozen=True)
class ParticipantCopy:
    """A registration as notifications knows it; `seated_at` is when the person got a seat."""

    registration_id: str
    edition_id: str
    organisation_id: str
    recipient: Recipient
    status: ParticipantStatus
    seated_at: datetime | None = None

    @property
    def is_confirmed(self) -> bool:
        return self.status == "confirmed"
