"""What the registration handlers need from the outside world."""

import abc
from collections.abc import Sequence
from dataclasses import dataclass

from koos_contracts import Envelope
from koos_kit.errors import RetryLater
from koos_registration.domain.offer import Offer
from koos_registration.domain.registration import Registration


class StaleRegistration(RetryLater):
    """The registration changed since it was read; read it again and retry."""


@dataclass(frozen=True)
class Place:
    """A place in line: the queue number keeps arrival order; the position counts from 1."""

    queue_number: int
    position: int


class Seats(abc.ABC):
    """The offers of editions and their seats; every operation is atomic on one edition."""

    @abc.abstractmethod
    async def add_offer(self, offer: Offer) -> None:
        """Remember an edition's offer; adding it again changes nothing."""

    @abc.abstractmethod
    async def offer(self, edition_id: str) -> Offer | None: ...

    @abc.abstractmethod
    async def take(self, edition_id: str, registration_id: str) -> bool:
        """Give the registration a seat if one is free; True also if it holds one already."""

    @abc.abstractmethod
    async def release(self, edition_id: str, registration_id: str) -> None:
        """Free the registration's seat, if it holds one."""

    @abc.abstractmethod
    async def holders(self, edition_id: str) -> list[str]: ...

    @abc.abstractmethod
    async def join_line(self, edition_id: str, occasion: str) -> Place:
        """Put someone at the end of the line; asking again for the latest occasion gives the same place."""

    @abc.abstractmethod
    async def leave_line(self, edition_id: str, occasion: str) -> None:
        """Someone left the line (promoted or gone); counted once per occasion."""


class Registrations(abc.ABC):
    """Stores registrations; each save also stores the events it raised, atomically."""

    @abc.abstractmethod
    async def get(self, registration_id: str) -> Registration | None: ...

    @abc.abstractmethod
    async def save(self, registration: Registration, envelopes: Sequence[Envelope]) -> None:
        """Store a new or changed registration; raise StaleRegistration if someone else changed it first."""

    @abc.abstractmethod
    async def first_waiting(self, edition_id: str, excluding: Sequence[str]) -> Registration | None:
        """The waiting registration with the smallest queue number, leaving out some ids."""

    @abc.abstractmethod
    async def waiting_among(self, edition_id: str, registration_ids: Sequence[str]) -> list[Registration]: ...


