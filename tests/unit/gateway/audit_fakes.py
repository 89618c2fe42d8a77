"""The audit trail in memory, for the gateway's unit tests."""

from collections.abc import Sequence
from datetime import datetime

from koos_gateway.domain.audit import AuditEntry
from koos_gateway.service_layer.ports import AuditLog


class FakeAuditLog(AuditLog):
    """Entries by id, read back the newest first."""

    def __init__(self) -> None:
        self.entries: dict[str, AuditEntry] = {}

    async def record(self, entries: Sequence[AuditEntry]) -> None:
        for entry in entries:
            self.entries.setdefault(entry.entry_id, entry)

    async def of_person(self, organisation_id: str, person_id: str, limit: int) -> list[AuditEntry]:
        return self._newest([e for e in self.entries.values()
                             if e.organisation_id == organisation_id and e.person_id == person_id], limit)

    async def of_organisation(self, organisation_id: str, limit: int, before: datetime | None) -> list[AuditEntry]:
        return self._newest([e for e in self.entries.values() if e.organisation_id == organisation_id
                             and (before is None or e.at < before)], limit)

    @staticmethod
    def _newest(entries: list[AuditEntry], limit: int) -> list[AuditEntry]:
        return sorted(entries, key=lambda e: e.at, reverse=True)[:limit]
