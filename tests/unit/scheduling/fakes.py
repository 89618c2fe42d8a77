"""A fake edition repository that behaves like the Mongo one."""

import copy
from collections.abc import Sequence
from datetime import datetime

from koos_contracts import Envelope
from koos_scheduling.domain.edition import Edition
from koos_scheduling.domain.programme import Programme
from koos_scheduling.service_layer.ports import EditionRepository, ProgrammeRepository, StaleEdition, StaleProgramme
from tests.fakes import FakeVersionedStore


class FakeEditionRepository(EditionRepository):
    """Editions in a dict; events go to `stored_events` as the outbox would keep them."""

    def __init__(self) -> None:
        self.editions: dict[str, Edition] = {}
        self.stored_events: list[Envelope] = []

    async def get(self, edition_id: str) -> Edition | None:
        edition = self.editions.get(edition_id)
        return copy.deepcopy(edition) if edition else None

    async def add(self, edition: Edition, envelopes: Sequence[Envelope]) -> bool:
        if edition.edition_id in self.editions:
            return False
        self._store(edition, 1, envelopes)
        return True

    async def save(self, edition: Edition, envelopes: Sequence[Envelope]) -> None:
        if self.editions[edition.edition_id].version != edition.version:
            raise StaleEdition(edition.edition_id)
        self._store(edition, edition.version + 1, envelopes)

    async def ending_by(self, moment: datetime) -> list[str]:
        return [key for key, e in self.editions.items() if (due := e.next_end_due()) and due <= moment]

    def _store(self, edition: Edition, version: int, envelopes: Sequence[Envelope]) -> None:
        stored = copy.deepcopy(edition)
        stored.version, stored.events = version, []
        self.editions[edition.edition_id] = stored
        self.stored_events.extend(envelopes)


class FakeProgrammeRepository(FakeVersionedStore[Programme], ProgrammeRepository):
    """Programmes in a dict, guarded by their version like the Mongo store."""

    stale = StaleProgramme
