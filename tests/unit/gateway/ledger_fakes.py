"""Fakes of the ledgers: mails, cancellations (read from the registrations fake) and sessions held."""

from collections.abc import Sequence

from koos_contracts.scheduling import SessionEnded
from koos_gateway.domain.ledgers import DeliveryView, EditionProgress
from koos_gateway.domain.registrations import RegistrationView
from koos_gateway.service_layer.ledger_ports import CancelledRegistrations, DeliveryLog, Ledgers, SessionProgress
from tests.unit.gateway.fakes import FakeRegistrations


class FakeDeliveryLog(DeliveryLog):
    def __init__(self) -> None:
        self.deliveries: dict[str, DeliveryView] = {}

    async def record_all(self, deliveries: Sequence[DeliveryView]) -> None:
        for delivery in deliveries:
            known = self.deliveries.get(delivery.notification_id)
            if known is None or known.at <= delivery.at:
                self.deliveries[delivery.notification_id] = delivery

    async def of_person(self, edition_id: str, person_id: str) -> list[DeliveryView]:
        return sorted((d for d in self.deliveries.values() if (d.edition_id, d.person_id) == (edition_id, person_id)),
                      key=lambda d: d.at)

    async def of_edition(self, edition_id: str) -> list[DeliveryView]:
        return [d for d in self.deliveries.values() if d.edition_id == edition_id]


class FakeCancelled(CancelledRegistrations):
    def __init__(self, registrations: FakeRegistrations) -> None:
        self._registrations = registrations

    async def of_edition(self, edition_id: str) -> list[RegistrationView]:
        return [r for r in self._registrations.registrations.values()
                if r.edition_id == edition_id and r.status == "cancelled"]


class FakeProgress(SessionProgress):
    def __init__(self) -> None:
        self.editions: dict[str, EditionProgress] = {}

    async def held(self, edition_id: str, session_id: str, event: SessionEnded) -> None:
        known = self.editions.get(edition_id, EditionProgress(edition_id))
        self.editions[edition_id] = EditionProgress(edition_id, {**known.held, session_id: event.ended_at},
                                                    known.over or event.last_of_edition)

    async def get(self, edition_id: str) -> EditionProgress:
        return self.editions.get(edition_id, EditionProgress(edition_id))


def fake_ledgers(registrations: FakeRegistrations) -> Ledgers:
    return Ledgers(FakeDeliveryLog(), FakeCancelled(registrations), FakeProgress())
