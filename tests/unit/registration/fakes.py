"""Fakes of the registration ports that keep the same guarantees as the Mongo adapters."""

import copy
from collections.abc import Callable, Sequence

from koos_contracts import Envelope
from koos_registration.domain.offer import Offer
from koos_registration.domain.registration import Registration
from koos_registration.service_layer.ports import Place, Registrations, Seats, StaleRegistration


class FakeSeats(Seats):
    """Offers with their seat holders and queue counters."""

    def __init__(self) -> None:
        self.offers: dict[str, Offer] = {}
        self.seat_holders: dict[str, list[str]] = {}
        self.counters: dict[str, int] = {}
        self.in_line: dict[str, int] = {}
        self.last_joined: dict[str, str] = {}
        self.left: dict[str, set[str]] = {}

    async def add_offer(self, offer: Offer) -> None:
        if offer.edition_id not in self.offers:
            self.offers[offer.edition_id] = offer
            self.seat_holders[offer.edition_id] = []
            self.counters[offer.edition_id] = 1
            self.in_line[offer.edition_id] = 0
            self.left[offer.edition_id] = set()

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

    async def join_line(self, edition_id: str, occasion: str) -> Place:
        if self.last_joined.get(edition_id) != occasion:
            self.last_joined[edition_id] = occasion
            self.counters[edition_id] += 1
            self.in_line[edition_id] += 1
        return Place(self.counters[edition_id] - 1, self.in_line[edition_id])

    async def leave_line(self, edition_id: str, occasion: str) -> None:
        if occasion not in self.left[edition_id]:
            self.left[edition_id].add(occasion)
            self.in_line[edition_id] -= 1


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

    @staticmethod
    def _waits(registration: Registration, edition_id: str) -> bool:
        return str(registration.edition_id) == edition_id and registration.status == "waiting"
