"""What the gateway needs from the outside world: its read models, the message bus and tokens."""

import abc
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from koos_contracts import Envelope
from koos_contracts.values import Venue
from koos_gateway.domain.access import Caller
from koos_gateway.domain.api_keys import ApiKey
from koos_gateway.domain.audit import AuditEntry
from koos_gateway.domain.commands import CommandRecord, Outcome
from koos_gateway.domain.editions import EditionView, SeatCount
from koos_gateway.domain.homework import HomeworkGrid
from koos_gateway.domain.privacy import PrivacyRequest
from koos_gateway.domain.programmes import ProgrammeView
from koos_gateway.domain.registrations import RegistrationChange, RegistrationView
from koos_gateway.domain.surveys import SurveyForm, SurveyResultsView
from koos_gateway.domain.teams import TeamProgrammeView


class EditionReadModel(abc.ABC):
    """Published editions; every change applies once per event id."""

    @abc.abstractmethod
    async def add(self, edition: EditionView, event_id: str) -> None:
        """Store a newly published edition; a second publication of the same id changes nothing."""

    @abc.abstractmethod
    async def reschedule(self, edition_id: str, session_id: str, starts_at: datetime, ends_at: datetime,
                         venue: Venue, event_id: str) -> None: ...

    @abc.abstractmethod
    async def cancel_session(self, edition_id: str, session_id: str, reason: str | None, event_id: str) -> None: ...

    @abc.abstractmethod
    async def count_seats(self, edition_id: str, seats: SeatCount) -> None:
        """Keep registration's newest count of seats and line (by its sequence)."""

    @abc.abstractmethod
    async def get(self, edition_id: str) -> EditionView | None: ...

    @abc.abstractmethod
    async def of_organisation(self, organisation_id: str, limit: int, offset: int) -> list[EditionView]:
        """An organisation's editions, the latest first."""

    @abc.abstractmethod
    async def many(self, edition_ids: Sequence[str]) -> list[EditionView]: ...


class RegistrationReadModel(abc.ABC):
    """Registrations as of their newest event; an older or repeated event changes nothing."""

    @abc.abstractmethod
    async def apply_all(self, changes: Sequence[RegistrationChange]) -> None:
        """Apply the changes of a batch of events, each unless a newer one was applied (one write per batch)."""

    @abc.abstractmethod
    async def get(self, registration_id: str) -> RegistrationView | None: ...

    @abc.abstractmethod
    async def active_of_edition(self, edition_id: str) -> list[RegistrationView]:
        """Confirmed and waiting registrations of an edition."""

    @abc.abstractmethod
    async def of_person(self, organisation_id: str, person_id: str) -> list[RegistrationView]: ...

    @abc.abstractmethod
    async def waiting_ahead(self, edition_id: str, queue_number: int) -> int:
        """How many wait with a smaller queue number."""



class CommandLog(abc.ABC):
    """Commands sent and their outcomes, shared by every gateway replica."""

    @abc.abstractmethod
    async def accepted(self, record: CommandRecord) -> None:
        """Remember a command about to be published (written in the background: it never waits for the store)."""

    @abc.abstractmethod
    async def settle_all(self, outcomes: Sequence[Outcome]) -> None:
        """Record the first outcome of each command; later ones change nothing (one write per batch)."""

    @abc.abstractmethod
    async def get(self, command_id: str) -> CommandRecord | None: ...


class SurveyResultsReadModel(abc.ABC):
    """The newest survey results per edition."""

    @abc.abstractmethod
    async def save(self, view: SurveyResultsView) -> None:
        """Keep the results unless newer ones are stored."""

    @abc.abstractmethod
    async def latest(self, edition_id: str) -> SurveyResultsView | None: ...

    @abc.abstractmethod
    async def save_form(self, form: SurveyForm) -> None:
        """Keep the questions of an opened survey."""

    @abc.abstractmethod
    async def form(self, edition_id: str) -> SurveyForm | None: ...


class ApiKeyStore(abc.ABC):
    """Partner API keys by fingerprint."""

    @abc.abstractmethod
    async def add(self, key: ApiKey, fingerprint: str) -> None: ...

    @abc.abstractmethod
    async def active_by_fingerprint(self, fingerprint: str) -> ApiKey | None: ...

    @abc.abstractmethod
    async def get(self, key_id: str) -> ApiKey | None: ...

    @abc.abstractmethod
    async def revoke(self, key_id: str, at: datetime) -> None: ...

    @abc.abstractmethod
    async def listed(self, organisation_id: str | None) -> list[ApiKey]:
        """Keys of one organisation, or of all when None."""


class CommandBus(abc.ABC):
    """Publishes a command; raises Unavailable when Kafka does not acknowledge it in time."""

    @abc.abstractmethod
    async def publish(self, envelope: Envelope) -> None: ...


class TokenService(abc.ABC):
    """Signed bearer tokens, staff's and participants', read (the gateway mints none)."""

    @abc.abstractmethod
    def caller(self, token: str) -> Caller:
        """The caller a token names; raise NotAuthenticated if it is invalid or expired."""


class TeamReadModel(abc.ABC):
    """Programmes that recruit teams, with their teams; every change applies once per event id."""

    @abc.abstractmethod
    async def save(self, programme: TeamProgrammeView, event_id: str) -> None:
        """Store the programme as an event left it (unless that event was applied already)."""

    @abc.abstractmethod
    async def get(self, programme_id: str) -> TeamProgrammeView | None: ...


class HomeworkReadModel(abc.ABC):
    """Programmes' homework as evaluation's events tell it; every change applies once per event id."""

    @abc.abstractmethod
    async def save(self, grid: HomeworkGrid, event_id: str) -> None:
        """Store the programme's homework as an event left it (unless that event was applied already)."""

    @abc.abstractmethod
    async def get(self, programme_id: str) -> HomeworkGrid | None: ...


class SelectionReadModel(abc.ABC):
    """Institutions' applications and each edition's jury as the events tell them (the newest fact per kind)."""

    @abc.abstractmethod
    async def application(self, edition_id: str, organisation_id: str, application_id: str,
                          fields: dict[str, Any]) -> None:
        """Set fields of an application (created by the first)."""

    @abc.abstractmethod
    async def applications(self, edition_id: str) -> list[dict[str, Any]]:
        """An edition's applications in the order they came."""

    @abc.abstractmethod
    async def record(self, edition_id: str, organisation_id: str, kind: str, fact: dict[str, Any]) -> None:
        """Keep the newest fact of a kind (definition, assignment, proposal, release, mentoring) of an edition."""

    @abc.abstractmethod
    async def round(self, edition_id: str) -> dict[str, Any] | None:
        """The facts of an edition's jury by kind, with its `organisation_id`."""
class PersonDirectory(abc.ABC):
    """Who a person is in Koos: their pseudonymous subject id (with a data key), by organisation and address."""

    @abc.abstractmethod
    async def subject_for(self, organisation_id: str, email: str) -> str:
        """The person's subject id, minted with its data key on first sight; an erased person is a new one."""

    @abc.abstractmethod
    async def known_subject(self, organisation_id: str, email: str) -> str | None:
        """The person's subject id (nothing is minted): their directory entry's, else the pseudonym derived from the
        address (people who came through a partner, or before the directory) unless that one was erased."""

    @abc.abstractmethod
    async def forget(self, subject_id: str) -> None:
        """Erase the person: their directory entry and their data key (a tombstone on the keys topic)."""


class PrivacyRequests(abc.ABC):
    """Export and erasure requests with their answers; an answer applies once per service."""

    @abc.abstractmethod
    async def add(self, request: PrivacyRequest) -> None: ...

    @abc.abstractmethod
    async def get(self, request_id: str) -> PrivacyRequest | None: ...

    @abc.abstractmethod
    async def answer_export(self, request_id: str, service: str, document: str) -> None: ...

    @abc.abstractmethod
    async def answer_erasure(self, request_id: str, service: str, erased: dict[str, int]) -> None: ...

    @abc.abstractmethod
    async def announce(self, request_id: str, envelope: Envelope) -> bool:
        """Mark the export announced and publish the envelope with that change (an outbox); False, publishing
        nothing, if it was announced already."""

    @abc.abstractmethod
    async def forget_exports_of(self, subject_id: str) -> int:
        """Delete the exports of a person (they hold the person's data); how many."""

    @abc.abstractmethod
    async def forget_exports_before(self, moment: datetime) -> int:
        """Delete the exports asked for before a moment (they are kept only for their requester to fetch)."""


class AuditLog(abc.ABC):
    """Who read or changed which person's data: appended to, read per person and per organisation."""

    @abc.abstractmethod
    async def record(self, entries: Sequence[AuditEntry]) -> None:
        """Keep the entries (an entry recorded twice is kept once)."""

    @abc.abstractmethod
    async def of_person(self, organisation_id: str, person_id: str, limit: int) -> list[AuditEntry]:
        """The person's trail in one organisation, the newest first."""

    @abc.abstractmethod
    async def of_organisation(self, organisation_id: str, limit: int, before: datetime | None) -> list[AuditEntry]:
        """The organisation's trail, the newest first, older than `before` when given."""


class ProgrammeReadModel(abc.ABC):
    """Programmes with their stage; every change applies once per event id."""

    @abc.abstractmethod
    async def save(self, programme: ProgrammeView, event_id: str) -> None:
        """Store the programme as an event left it (unless that event was applied already)."""

    @abc.abstractmethod
    async def get(self, programme_id: str) -> ProgrammeView | None: ...
