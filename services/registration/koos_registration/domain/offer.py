"""The registration side of an edition: how many seats, and when people may sign up."""

from dataclasses import dataclass
from datetime import datetime

from koos_contracts.registration import RefusalCode


@dataclass(frozen=True)
class Refusal:
    """Why a registration cannot be taken, for a person to read."""

    code: RefusalCode
    reason: str


@dataclass(frozen=True)
class Offer:
    """Seats and the registration window of one edition."""

    edition_id: str
    organisation_id: str
    capacity: int
    opens_at: datetime
    closes_at: datetime

    def refusal_at(self, moment: datetime) -> Refusal | None:
        """Why a registration made at this moment is refused, if it is."""
        if moment < self.opens_at:
            return Refusal("not_open_yet", f"registration opens at {self.opens_at.isoformat()}")
        if moment >= self.closes_at:
            return Refusal("closed", f"registration closed at {self.closes_at.isoformat()}")
        return None


UNKNOWN_EDITION = Refusal("unknown_edition", "no edition with this id is open for registration")
