"""Fakes of the registration ports: they store and fence; every rule is the domain's, as with MongoDB."""

import copy
from collections.abc import Collection, Sequence

from koos_contracts import Envelope
from koos_registration.domain.offer import Offer
from koos_registration.domain.registration import Registration
from koos_registration.domain.team_programme import TeamProgramme
from koos_registration.service_layer.ports import Book, Commit, StaleOffer, StaleProgramme, TeamProgrammes
from tests.fakes import FakeVersionedStore, RecordingPublisher


class FakeBook(Book):
    """Offers guarded by their version; a commit can be made to crash after the offer was written."""

    def __init__(self, publisher: RecordingPublisher) -> None:
        self.publisher = publisher
        self.offers: dict[str, Offer] = {}
        self.pending: dict[str, Commit] = {}
        self.stored: dict[str, Registration] = {}
        self.line_entries: dict[str, dict[int, str]] = {}
        self.crash_after_offer_write = False

    async def add_offer(self, offer: Offer, envelopes: Sequence[Envelope]) -> None:
        if offer.edition_id not in self.offers:
            self.offers[offer.edition_id] = copy.deepcopy(offer)
            self.publisher.envelopes.extend(envelopes)

    async def offer(self, edition_id: str) -> Offer | None:
        if edition_id in self.pending:
            self._materialise(self.pending.pop(edition_id))
        found = self.offers.get(edition_id)
        return copy.deepcopy(found) if found else None

    async def registrations(self, registration_ids: Collection[str]) -> dict[str, Registration]:
        return {i: copy.deepcopy(self.stored[i]) for i in registration_ids if i in self.stored}

    async def line(self, offer: Offer, count: int) -> list[tuple[int, str]]:
        entries = self.line_entries.get(offer.edition_id, {})
        last = min(offer.line_head + count, offer.next_queue_number) - 1
        return sorted((n, r) for n, r in entries.items() if offer.line_head <= n <= last)

    async def commit(self, commit: Commit) -> None:
        stored = self.offers[commit.offer.edition_id]
        if stored.version != commit.offer.version:
            raise StaleOffer(commit.offer.edition_id)
        saved = copy.deepcopy(commit)
        saved.offer.version += 1
        self.offers[commit.offer.edition_id] = saved.offer
        self.pending[commit.offer.edition_id] = saved
        if self.crash_after_offer_write:
            self.crash_after_offer_write = False
            raise ConnectionError("simulated crash after the offer was written")
        self._materialise(self.pending.pop(commit.offer.edition_id))

    def _materialise(self, commit: Commit) -> None:
        for registration in commit.registrations:
            self.stored[str(registration.registration_id)] = copy.deepcopy(registration)
        self.line_entries.setdefault(commit.offer.edition_id, {}).update(commit.joined)
        self.publisher.envelopes.extend(commit.envelopes)


class FakeReplies:
    """Answers by command id; a command answered before is not answered again."""

    def __init__(self, publisher: RecordingPublisher) -> None:
        self.publisher = publisher
        self.answered: set[str] = set()

    async def reply(self, command: Envelope, envelopes: Sequence[Envelope]) -> bool:
        if command.id in self.answered:
            return False
        self.answered.add(command.id)
        self.publisher.envelopes.extend(envelopes)
        return True


class FakeProgrammes(FakeVersionedStore[TeamProgramme], TeamProgrammes):
    """Programmes in a dict, guarded by their version like the Mongo store."""

    stale = StaleProgramme
