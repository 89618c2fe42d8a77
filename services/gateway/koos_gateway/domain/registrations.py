"""Registrations as the gateway knows them from the registration service's events."""

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

Status = Literal["pending", "confirmed", "waiting", "cancelled", "refused"]
ACTIVE: tuple[Status, ...] = ("confirmed", "waiting")
NEVER = datetime(1970, 1, 1, tzinfo=UTC)
"""The occurrence time of a registration the gateway only accepted: any event about it is newer."""


@dataclass(frozen=True)
class Contact:
    """How to reach a participant: only organisers and the person themself see it."""

    name: str
    email: str
    language: str


@dataclass(frozen=True)
class RegistrationView:
    """One person's registration for one edition, as of its newest event."""

    registration_id: str
    edition_id: str
    organisation_id: str
    person_id: str
    contact: Contact | None
    status: Status
    occurred_at: datetime
    queue_number: int | None = None
    reason_code: str | None = None
    reason: str | None = None

    @property
    def is_active(self) -> bool:
        """Holding a seat or a place in line."""
        return self.status in ACTIVE


@dataclass(frozen=True)
class RegistrationChange:
    """What one registration event says; fields left None keep what is known."""

    registration_id: str
    edition_id: str
    organisation_id: str
    person_id: str
    status: Status
    occurred_at: datetime
    contact: Contact | None = None
    queue_number: int | None = None
    reason_code: str | None = None
    reason: str | None = None
