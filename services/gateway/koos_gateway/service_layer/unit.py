"""Everything the gateway's use cases may touch, in one place."""

from dataclasses import dataclass, field

from koos_gateway.service_layer.ledger_ports import Ledgers
from koos_gateway.service_layer.ports import (
    ApiKeyStore,
    AuditLog,
    CommandBus,
    CommandLog,
    EditionReadModel,
    HomeworkReadModel,
    PersonDirectory,
    PrivacyRequests,
    ProgrammeReadModel,
    RegistrationReadModel,
    SelectionReadModel,
    SurveyResultsReadModel,
    TeamReadModel,
    TokenService,
)
from koos_gateway.service_layer.signals import OutcomeSignal
from koos_kit.clock import Clock


@dataclass(frozen=True)
class Policy:
    """How the gateway behaves: where its messages come from and how long it waits for outcomes."""

    source: str = "/koos/gateway"
    command_wait_seconds: float = 5.0
    poll_seconds: float = 0.2
    opening_wait_seconds: float = 3.0


@dataclass(frozen=True)
class Ports:
    """The gateway's ports, built once by bootstrap (or by a test with fakes)."""

    editions: EditionReadModel
    registrations: RegistrationReadModel
    commands: CommandLog
    surveys: SurveyResultsReadModel
    api_keys: ApiKeyStore
    bus: CommandBus
    tokens: TokenService
    clock: Clock
    ledgers: Ledgers
    teams: TeamReadModel
    people: PersonDirectory
    privacy: PrivacyRequests
    audit: AuditLog
    programmes: ProgrammeReadModel
    policy: Policy = field(default_factory=Policy)
    signal: OutcomeSignal = field(default_factory=OutcomeSignal)
    selections: SelectionReadModel | None = None
    homework: HomeworkReadModel | None = None
