"""Fakes of the gateway's ports that keep the semantics of the Mongo adapters (event-id guards, newest wins)."""

import asyncio
import copy
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any
from uuid import uuid4

from koos_contracts import Envelope
from koos_contracts.identity import normalise_email, person_id_for
from koos_contracts.values import Venue
from koos_gateway.domain.api_keys import ApiKey
from koos_gateway.domain.commands import CommandRecord, Outcome
from koos_gateway.domain.editions import EditionView, SeatCount
from koos_gateway.domain.errors import Unavailable
from koos_gateway.domain.homework import HomeworkGrid
from koos_gateway.domain.privacy import PrivacyRequest
from koos_gateway.domain.programmes import ProgrammeView
from koos_gateway.domain.registrations import RegistrationChange, RegistrationView
from koos_gateway.domain.surveys import SurveyForm, SurveyResultsView
from koos_gateway.domain.teams import TeamProgrammeView
from koos_gateway.service_layer.ports import (
    ApiKeyStore,
    CommandBus,
    CommandLog,
    EditionReadModel,
    HomeworkReadModel,
    PersonDirectory,
    PrivacyRequests,
    ProgrammeReadModel,
    RegistrationReadModel,
    SurveyResultsReadModel,
    TeamReadModel,
)


class FakeEditions(EditionReadModel):
    """Editions in a dict; each event id applies once."""

    def __init__(self) -> None:
        self.editions: dict[str, EditionView] = {}
        self.applied: set[tuple[str, str]] = set()
        self.early_counts: dict[str, SeatCount] = {}

    async def add(self, edition: EditionView, event_id: str) -> None:
        self.editions.setdefault(edition.edition_id, replace(edition, seats=self.early_counts.get(edition.edition_id)))

    async def reschedule(self, edition_id: str, session_id: str, starts_at: datetime, ends_at: datetime,
                         venue: Venue, event_id: str) -> None:
        def moved(edition: EditionView) -> EditionView:
            session = edition.session(session_id)
            assert session is not None
            return edition.with_session(replace(session, starts_at=starts_at, ends_at=ends_at, venue=venue,
                                                revision=session.revision + 1))
        self._change(edition_id, event_id, moved)

    async def cancel_session(self, edition_id: str, session_id: str, reason: str | None, event_id: str) -> None:
        def cancelled(edition: EditionView) -> EditionView:
            session = edition.session(session_id)
            assert session is not None
            return edition.with_session(replace(session, status="cancelled", cancel_reason=reason,
                                                revision=session.revision + 1))
        self._change(edition_id, event_id, cancelled)

    async def count_seats(self, edition_id: str, seats: SeatCount) -> None:
        known = self.editions.get(edition_id)
        if known is None:
            earlier = self.early_counts.get(edition_id)
            if earlier is None or earlier.sequence < seats.sequence:
                self.early_counts[edition_id] = seats
        elif known.seats is None or known.seats.sequence < seats.sequence:
            self.editions[edition_id] = replace(known, seats=seats)

    async def get(self, edition_id: str) -> EditionView | None:
        return self.editions.get(edition_id)

    async def of_organisation(self, organisation_id: str, limit: int, offset: int) -> list[EditionView]:
        found = sorted((e for e in self.editions.values() if e.organisation_id == organisation_id),
                       key=lambda e: e.starts_on, reverse=True)
        return found[offset:offset + limit]

    async def many(self, edition_ids: Sequence[str]) -> list[EditionView]:
        return [self.editions[i] for i in edition_ids if i in self.editions]

    def _change(self, edition_id: str, event_id: str, change: Callable[[EditionView], EditionView]) -> None:
        if (edition_id, event_id) in self.applied or edition_id not in self.editions:
            return
        self.applied.add((edition_id, event_id))
        self.editions[edition_id] = change(self.editions[edition_id])


class FakeRegistrations(RegistrationReadModel):
    """Registrations in a dict; an older event than the stored state changes nothing."""

    def __init__(self) -> None:
        self.registrations: dict[str, RegistrationView] = {}

    async def apply_all(self, changes: Sequence[RegistrationChange]) -> None:
        for change in changes:
            self._apply(change)

    def _apply(self, change: RegistrationChange) -> None:
        known = self.registrations.get(change.registration_id)
        if known is not None and known.occurred_at > change.occurred_at:
            return
        queue_number = change.queue_number
        if queue_number is None and known is not None:
            queue_number = known.queue_number
        self.registrations[change.registration_id] = RegistrationView(
            change.registration_id, change.edition_id, change.organisation_id, change.person_id,
            change.contact or (known.contact if known else None), change.status, change.occurred_at,
            queue_number=queue_number, reason_code=change.reason_code, reason=change.reason)

    async def get(self, registration_id: str) -> RegistrationView | None:
        return self.registrations.get(registration_id)

    async def active_of_edition(self, edition_id: str) -> list[RegistrationView]:
        return [r for r in self.registrations.values() if r.edition_id == edition_id and r.is_active]

    async def of_person(self, organisation_id: str, person_id: str) -> list[RegistrationView]:
        return [r for r in self.registrations.values()
                if r.organisation_id == organisation_id and r.person_id == person_id]

    async def waiting_ahead(self, edition_id: str, queue_number: int) -> int:
        return sum(1 for r in self.registrations.values() if r.edition_id == edition_id and r.status == "waiting"
                   and r.queue_number is not None and r.queue_number < queue_number)


class FakeCommandLog(CommandLog):
    """Commands in a dict; the first outcome wins."""

    def __init__(self) -> None:
        self.records: dict[str, CommandRecord] = {}

    async def accepted(self, record: CommandRecord) -> None:
        self.records.setdefault(record.command_id, record)

    async def settle_all(self, outcomes: Sequence[Outcome]) -> None:
        for outcome in outcomes:
            known = self.records.get(outcome.command_id)
            if known is not None and known.is_settled:
                continue
            base = known or CommandRecord(outcome.command_id, outcome.organisation_id, "", "pending")
            self.records[outcome.command_id] = replace(base, status=outcome.status, reason=outcome.reason,
                                                       reason_code=outcome.reason_code,
                                                       settled_at=outcome.settled_at,
                                                       outcome_type=outcome.event_type)

    async def get(self, command_id: str) -> CommandRecord | None:
        return self.records.get(command_id)


class FakeSurveyResults(SurveyResultsReadModel):
    """The newest results per edition."""

    def __init__(self) -> None:
        self.results: dict[str, SurveyResultsView] = {}
        self.forms: dict[str, SurveyForm] = {}

    async def save(self, view: SurveyResultsView) -> None:
        key = str(view.results.edition_id)
        known = self.results.get(key)
        if known is None or known.occurred_at <= view.occurred_at:
            self.results[key] = view

    async def latest(self, edition_id: str) -> SurveyResultsView | None:
        return self.results.get(edition_id)

    async def save_form(self, form: SurveyForm) -> None:
        self.forms[str(form.opened.edition_id)] = form

    async def form(self, edition_id: str) -> SurveyForm | None:
        return self.forms.get(edition_id)


class FakeApiKeys(ApiKeyStore):
    """Keys with their fingerprints."""

    def __init__(self) -> None:
        self.keys: dict[str, tuple[ApiKey, str]] = {}

    async def add(self, key: ApiKey, fingerprint: str) -> None:
        self.keys[key.key_id] = (key, fingerprint)

    async def active_by_fingerprint(self, fingerprint: str) -> ApiKey | None:
        return next((k for k, f in self.keys.values() if f == fingerprint and k.is_active), None)

    async def get(self, key_id: str) -> ApiKey | None:
        found = self.keys.get(key_id)
        return found[0] if found else None

    async def revoke(self, key_id: str, at: datetime) -> None:
        key, fingerprint = self.keys[key_id]
        self.keys[key_id] = (replace(key, revoked_at=at), fingerprint)

    async def listed(self, organisation_id: str | None) -> list[ApiKey]:
        return [k for k, _ in self.keys.values() if organisation_id in (None, k.organisation_id)]


Responder = Callable[[Envelope], Coroutine[Any, Any, None]]


class FakeBus(CommandBus):
    """Keeps what was published; a responder may play the owning service; it can be made unavailable."""

    def __init__(self) -> None:
        self.sent: list[Envelope] = []
        self.responder: Responder | None = None
        self.unavailable = False
        self._tasks: list[asyncio.Task[None]] = []

    async def publish(self, envelope: Envelope) -> None:
        if self.unavailable:
            raise Unavailable("the message bus did not accept the request; try again shortly", code="bus_unavailable")
        self.sent.append(envelope)
        if self.responder is not None:
            self._tasks.append(asyncio.create_task(self.responder(envelope)))

    async def settled(self) -> None:
        """Wait for every responder to finish."""
        await asyncio.gather(*self._tasks)


class FakeTeams(TeamReadModel):
    """Team programmes by id, each event applied once."""

    def __init__(self) -> None:
        self.programmes: dict[str, TeamProgrammeView] = {}
        self.applied: set[str] = set()

    async def save(self, programme: TeamProgrammeView, event_id: str) -> None:
        if event_id not in self.applied:
            self.applied.add(event_id)
            self.programmes[programme.programme_id] = programme

    async def get(self, programme_id: str) -> TeamProgrammeView | None:
        return self.programmes.get(programme_id)


class FakeHomeworkGrid(HomeworkReadModel):
    """Programmes' homework by id, each event applied once."""

    def __init__(self) -> None:
        self.grids: dict[str, HomeworkGrid] = {}
        self.applied: set[str] = set()

    async def save(self, grid: HomeworkGrid, event_id: str) -> None:
        if event_id not in self.applied:
            self.applied.add(event_id)
            self.grids[grid.programme_id] = copy.deepcopy(grid)

    async def get(self, programme_id: str) -> HomeworkGrid | None:
        found = self.grids.get(programme_id)
        return copy.deepcopy(found) if found else None


class FakeProgrammes(ProgrammeReadModel):
    """Programmes by id, each event applied once."""

    def __init__(self) -> None:
        self.programmes: dict[str, ProgrammeView] = {}
        self.applied: set[str] = set()

    async def save(self, programme: ProgrammeView, event_id: str) -> None:
        if event_id not in self.applied:
            self.applied.add(event_id)
            self.programmes[programme.programme_id] = programme

    async def get(self, programme_id: str) -> ProgrammeView | None:
        return self.programmes.get(programme_id)
class FakePeople(PersonDirectory):
    """Subjects as the directory mints them: the derived pseudonym first, a new one after an erasure."""

    def __init__(self) -> None:
        self.subjects: dict[tuple[str, str], str] = {}
        self.erased: set[str] = set()

    async def subject_for(self, organisation_id: str, email: str) -> str:
        entry = (organisation_id, normalise_email(email))
        if entry not in self.subjects:
            candidate = person_id_for(organisation_id, email)
            self.subjects[entry] = str(uuid4()) if candidate in self.erased else candidate
        return self.subjects[entry]

    async def known_subject(self, organisation_id: str, email: str) -> str | None:
        derived = person_id_for(organisation_id, email)
        return self.subjects.get((organisation_id, normalise_email(email)),
                                 None if derived in self.erased else derived)

    async def forget(self, subject_id: str) -> None:
        self.subjects = {entry: s for entry, s in self.subjects.items() if s != subject_id}
        self.erased.add(subject_id)


class FakePrivacyRequests(PrivacyRequests):
    """Requests in memory, answered per service."""

    def __init__(self) -> None:
        self.requests: dict[str, PrivacyRequest] = {}
        self.announcements: list[Envelope] = []

    async def add(self, request: PrivacyRequest) -> None:
        self.requests.setdefault(request.request_id, request)

    async def get(self, request_id: str) -> PrivacyRequest | None:
        return self.requests.get(request_id)

    async def answer_export(self, request_id: str, service: str, document: str) -> None:
        if (request := self.requests.get(request_id)) and request.kind == "export":
            request.parts[service] = document

    async def answer_erasure(self, request_id: str, service: str, erased: dict[str, int]) -> None:
        if (request := self.requests.get(request_id)) and request.kind == "erasure":
            request.confirmations[service] = erased

    async def announce(self, request_id: str, envelope: Envelope) -> bool:
        request = self.requests.get(request_id)
        if request is None or request.announced:
            return False
        request.announced = True
        self.announcements.append(envelope)
        return True

    async def forget_exports_of(self, subject_id: str) -> int:
        gone = [r for r in self.requests.values() if r.subject_id == subject_id and r.kind == "export"]
        for request in gone:
            del self.requests[request.request_id]
        return len(gone)

    async def forget_exports_before(self, moment: datetime) -> int:
        gone = [r for r in self.requests.values() if r.kind == "export" and r.requested_at < moment]
        for request in gone:
            del self.requests[request.request_id]
        return len(gone)
