"""The registration side of an edition: its seats, its line, and when people may sign up.

The seat rule lives here. An offer counts the seats taken and the people in line; a seat is free only while
nobody waits (a seat freed while people wait goes to the first of them at once), so "confirm if a seat is
free, else join the line" is the whole rule for newcomers.
"""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from koos_contracts.registration import RefusalCode, SeatsChanged


@dataclass(frozen=True)
class Refusal:
    """Why a registration cannot be taken, for a person to read."""

    code: RefusalCode
    reason: str


UNKNOWN_EDITION = Refusal("unknown_edition", "no edition with this id is open for registration")


class OfferInvariantBroken(AssertionError):
    """The counts of an offer contradict each other: a bug, never a person's doing."""


@dataclass
class Offer:
    """Seats and the registration window of one edition, with the counts of its line.

    `line_head` is the smallest queue number that may still be waiting; `version` guards every write, so a
    consumer that lost its partition (or a batch consumed again) can never apply a decision twice.
    """

    edition_id: str
    organisation_id: str
    capacity: int
    opens_at: datetime
    closes_at: datetime
    taken: int = 0
    in_line: int = 0
    next_queue_number: int = 1
    line_head: int = 1
    version: int = 0
    ends_at: datetime | None = None
    """When the edition's last session ends: its registrations are kept for a retention period after."""

    @property
    def seats_left(self) -> int:
        return self.capacity - self.taken

    def refusal_at(self, moment: datetime, organisation_id: str) -> Refusal | None:
        """Why a registration made at this moment, for this organisation, is refused, if it is."""
        if organisation_id != self.organisation_id:
            return UNKNOWN_EDITION
        if moment < self.opens_at:
            return Refusal("not_open_yet", f"registration opens at {self.opens_at.isoformat()}")
        if moment >= self.closes_at:
            return Refusal("closed", f"registration closed at {self.closes_at.isoformat()}")
        return None

    def counted(self, sequence: int) -> SeatsChanged:
        """The fact of how the seats and the line stand (sequence 0: the offer just opened)."""
        return SeatsChanged(edition_id=UUID(self.edition_id), capacity=self.capacity, taken=self.taken,
                            in_line=self.in_line, sequence=sequence)

    def take_seat(self) -> bool:
        """Take a free seat if there is one."""
        self._check()
        if self.taken >= self.capacity:
            return False
        self.taken += 1
        return True

    def join_line(self) -> tuple[int, int]:
        """The queue number and the place in line (from 1) of someone joining at the end."""
        queue_number, self.next_queue_number = self.next_queue_number, self.next_queue_number + 1
        self.in_line += 1
        return queue_number, self.in_line

    def free_seat(self) -> bool:
        """A seat is given up; True if it goes to the first in line (who must then be promoted)."""
        self.taken -= 1
        if self.in_line > 0:
            self.taken += 1
            self.in_line -= 1
            return True
        return False

    def leave_line(self) -> None:
        """Someone waiting left the line."""
        self.in_line -= 1
        self._check()

    def _check(self) -> None:
        if self.taken < 0 or self.in_line < 0 or self.taken > self.capacity:
            raise OfferInvariantBroken(f"offer {self.edition_id}: {self.taken} taken, {self.in_line} in line")
        if self.in_line > 0 and self.taken < self.capacity:
            raise OfferInvariantBroken(f"offer {self.edition_id}: a seat is free while {self.in_line} wait")
