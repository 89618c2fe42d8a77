"""What the handlers need from the outside world."""

import abc
from collections.abc import Sequence
from datetime import datetime

from koos_contracts import Envelope
from koos_kit.errors import RetryLater
from koos_scheduling.domain.edition import Edition
from koos_scheduling.domain.programme import Programme


class StaleEdition(RetryLater):
    """The edition changed since it was read; read it again and retry."""


class EditionRepository(abc.ABC):
    """Stores editions; each save also stores the events it raised, atomically."""

    @abc.abstractmethod
    async def get(self, edition_id: str) -> Edition | None: ...

    @abc.abstractmethod
    async def add(self, edition: Edition, envelopes: Sequence[Envelope]) -> bool:
        """Store a new edition; False if one with its id exists already."""

    @abc.abstractmethod
    async def save(self, edition: Edition, envelopes: Sequence[Envelope]) -> None:
        """Store a changed edition; raise StaleEdition if someone else changed it first."""

    @abc.abstractmethod
    async def ending_by(self, moment: datetime) -> list[str]:
        """Ids of editions with a session that ends by the moment and is not marked ended."""



class StaleProgramme(RetryLater):
    """The programme changed since it was read; read it again and retry."""


class ProgrammeRepository(abc.ABC):
    """Stores programmes; each save also stores the events it raised, atomically."""

    @abc.abstractmethod
    async def get(self, programme_id: str) -> Programme | None: ...

    @abc.abstractmethod
    async def save(self, programme: Programme, envelopes: Sequence[Envelope]) -> None:
        """Store a new or changed programme; raise StaleProgramme if someone else changed it first."""


class MentoringPlans(abc.ABC):
    """The mentoring plan of each edition, stored once with the event that announces it."""

    @abc.abstractmethod
    async def planned(self, edition_id: str) -> bool: ...

    @abc.abstractmethod
    async def add(self, edition_id: str, organisation_id: str, envelopes: Sequence[Envelope]) -> None:
        """Store that the edition's mentoring is planned, with its event; RetryLater if stored meanwhile."""
