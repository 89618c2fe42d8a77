"""Fakes of the registration ports that keep the same guarantees as the Mongo adapters."""

import copy
from collections.abc import Callable, Sequence

from koos_contracts import Envelope
from koos_registration.domain.offer import Offer
from koos_registration.domain.registration import Registration
from koos_registration.service_layer.ports import Registrations, Seats, StaleRegistration


class FakeSeats(Seats):
    """Offers with their seat holders and queue counters."""

    def __init__(self) -> None:
        self.offers: dict[str, Offer] = {}
        self.seat_holders: dict[str, list[str]] = {}
        self.counters: dict[str, int] = {}

    async def add_offer(self, offer: Offer) -> None:
        if offer.edition_id not in self.offers:
            self.offers[offer.edition_id] = offer
            self.seat_holders[offer.edition_id] = []
            self.counters[offer.edition_id] = 1

    async def offer(self, edition_id: str) -> Offer | None:
        return self.offers.get(edition_id)

    async def take(self, edition_id: str, registration_id: str) -> bool:
        holders = self.seat_holders[edition_id]
        if registration_id in holders:
            return True
        if len(holders) >= self.offers[edition_id].capacity:
            return False
        holders.append(registration_id)
        return True

    async def release(self, edition_id: str, registration_id: str) -> None:
        if registration_id in self.seat_holders[edition_id]:
            self.seat_holders[edition_id].remove(registration_id)

    async def holders(self, edition_id: str) -> list[str]:
        return list(self.seat_holders.get(edition_id, []))

    async def next_queue_number(self, edition_id: str) -> int:
        self.counters[edition_id] += 1
        return self.counters[edition_id] - 1


class FakeRegistrations(Registrations):
    """Registrations in a dict; `crash_before` simulates a crash before the next write it matches."""

    def __init__(self) -> None:
        self.stored: dict[str, Registration] = {}
        self.stored_events: list[Envelope] = []
        self.crash_before: Callable[[Registration], bool] | None = None

    async def get(self, registration_id: str) -> Registration | None:
        found = self.stored.get(registration_id)
        return copy.deepcopy(found) if found else None

    async def save(self, registration: Registration, envelopes: Sequence[Envelope]) -> None:
        if self.crash_before is not None and self.crash_before(registration):
            self.crash_before = None
            raise ConnectionError("simulated crash before the write")
        key = str(registration.registration_id)
        current = self.stored.get(key)
        if (current.version if current else 0) != registration.version:
            raise StaleRegistration(key)
        registration.version += 1
        registration.events = []
        self.stored[key] = copy.deepcopy(registration)
        self.stored_events.extend(envelopes)

    async def first_waiting(self, edition_id: str, excluding: Sequence[str]) -> Registration | None:
        waiting = [r for k, r in self.stored.items() if self._waits(r, edition_id) and k not in excluding]
        return copy.deepcopy(min(waiting, key=lambda r: r.queue_number or 0)) if waiting else None

    async def waiting_among(self, edition_id: str, registration_ids: Sequence[str]) -> list[Registration]:
        found = [r for k, r in self.stored.items() if self._waits(r, edition_id) and k in registration_ids]
        return copy.deepcopy(found)

    async def waiting_before(self, edition_id: str, queue_number: int) -> int:
        waiting = [r for r in self.stored.values() if self._waits(r, edition_id)]
        return sum(1 for r in waiting if (r.queue_number or 0) < queue_number)

    @staticmethod
    def _waits(registration: Registration, edition_id: str) -> bool:
        return str(registration.edition_id) == edition_id and registration.status == "waiting"
