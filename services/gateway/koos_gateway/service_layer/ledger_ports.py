"""Ports of the read models of what happened to people and sessions: mails, cancellations, sessions held."""

import abc
from collections.abc import Sequence
from dataclasses import dataclass

from koos_contracts.scheduling import SessionEnded
from koos_gateway.domain.ledgers import DeliveryView, EditionProgress
from koos_gateway.domain.registrations import RegistrationView


class DeliveryLog(abc.ABC):
    """Each mail's newest outcome, per person and edition."""

    @abc.abstractmethod
    async def record_all(self, deliveries: Sequence[DeliveryView]) -> None:
        """Keep each mail's outcome unless a newer one is known (a consumed batch at a time)."""

    @abc.abstractmethod
    async def of_person(self, edition_id: str, person_id: str) -> list[DeliveryView]:
        """A person's mails about an edition, the oldest first."""

    @abc.abstractmethod
    async def of_edition(self, edition_id: str) -> list[DeliveryView]: ...


class CancelledRegistrations(abc.ABC):
    """Registrations that were given up, from the registrations read model."""

    @abc.abstractmethod
    async def of_edition(self, edition_id: str) -> list[RegistrationView]: ...


class SessionProgress(abc.ABC):
    """Sessions held per edition; applying the same end twice changes nothing."""

    @abc.abstractmethod
    async def held(self, edition_id: str, session_id: str, event: SessionEnded) -> None: ...

    @abc.abstractmethod
    async def get(self, edition_id: str) -> EditionProgress: ...


@dataclass(frozen=True)
class Ledgers:
    """The three, built once by bootstrap (or by a test with fakes)."""

    deliveries: DeliveryLog
    cancelled: CancelledRegistrations
    progress: SessionProgress
