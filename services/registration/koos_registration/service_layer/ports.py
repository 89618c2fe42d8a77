"""What the registration handlers need from the outside world."""

import abc
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

from koos_contracts import Envelope
from koos_kit.errors import RetryLater
from koos_registration.domain.application import Application
from koos_registration.domain.offer import Offer
from koos_registration.domain.registration import Registration
from koos_registration.domain.team_programme import TeamProgramme


class StaleOffer(RetryLater):
    """The offer changed since it was read (another consumer wrote it): read it again and decide again."""


@dataclass(frozen=True)
class Commit:
    """A decided batch: the offer as it now stands, the registrations it changed, who joined the line at
    which queue number, and every event the batch raised (in order, each caused by its command)."""

    offer: Offer
    registrations: Sequence[Registration]
    joined: dict[int, str] = field(default_factory=dict)
    envelopes: Sequence[Envelope] = ()


class Book(abc.ABC):
    """Offers, their lines and their registrations.

    A commit writes a whole batch: first the offer, guarded by its version and carrying the batch (so a
    crash after it loses nothing), then the registrations and the line, then the events. The batch is
    carried by the offer until all of it is written, and a read of an offer finishes what a crash left.
    """

    @abc.abstractmethod
    async def add_offer(self, offer: Offer, envelopes: Sequence[Envelope]) -> None:
        """Remember an edition's offer and publish the events of its opening; adding it again changes nothing
        (but publishes them again if they may not have gone out)."""

    @abc.abstractmethod
    async def offer(self, edition_id: str) -> Offer | None:
        """An edition's offer as last committed (finishing a batch a crash interrupted)."""

    @abc.abstractmethod
    async def registrations(self, registration_ids: Collection[str]) -> dict[str, Registration]:
        """The stored registrations among these ids, fresh copies, by id."""

    @abc.abstractmethod
    async def line(self, offer: Offer, count: int) -> list[tuple[int, str]]:
        """Up to `count` (queue number, registration id) of the line, from the offer's line head on."""

    @abc.abstractmethod
    async def commit(self, commit: Commit) -> None:
        """Write a decided batch; raise StaleOffer if the offer's version is no longer the one it was read at."""


class StaleProgramme(RetryLater):
    """The programme changed since it was read (a decision of another consumer): read it again and retry."""


class TeamProgrammes(abc.ABC):
    """Programmes that recruit teams; a save stores the events it raised in the same document update."""

    @abc.abstractmethod
    async def get(self, programme_id: str) -> TeamProgramme | None: ...

    @abc.abstractmethod
    async def save(self, programme: TeamProgramme, envelopes: Sequence[Envelope]) -> None:
        """Store a new or changed programme; raise StaleProgramme if it changed since it was read."""


class Applications(abc.ABC):
    """Institutions' applications, one document each; a save stores the events it raised with it."""

    @abc.abstractmethod
    async def get(self, application_id: str) -> Application | None: ...

    @abc.abstractmethod
    async def save(self, application: Application, envelopes: Sequence[Envelope]) -> None:
        """Store a new or changed application with its events; RetryLater if it changed meanwhile."""
