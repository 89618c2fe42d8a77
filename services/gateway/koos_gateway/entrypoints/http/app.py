"""The gateway's FastAPI application, built from its ports (real ones in bootstrap, fakes in tests)."""

import time
from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.telemetry import TelemetryConfig

from koos_gateway.domain.rate_limit import Quota
from koos_gateway.entrypoints.http import errors, openapi
from koos_gateway.entrypoints.http.guards import BodyLimit, BodyLimits, SecurityHeaders
from koos_gateway.entrypoints.http.middleware import RequestContext
from koos_gateway.entrypoints.http.routers import (
    admin,
    audit,
    commands,
    contracts,
    editions,
    feedback,
    homework,
    me,
    people,
    privacy,
    programmes,
    progress,
    public,
    public_follow,
    registrations,
    selections,
    sessions,
    teams,
)
from koos_gateway.service_layer.rate_limits import MemoryPools, RateLimiter, RateLimits
from koos_gateway.service_layer.unit import Ports
from koos_kit.http import operations_router

Lifespan = Callable[[FastAPI], AbstractAsyncContextManager[None]]
ReadinessCheck = Callable[[], Awaitable[dict[str, bool]]]

DESCRIPTION = """The web API of Koos for the web front end, organisers, participants and partner systems.

Staff send `Authorization: Bearer <JWT>`; partner systems send `X-API-Key`; participants use the token
they got on signing up. Every error is `{"error": {"code", "reason", "details"}}`. Commands are answered
201/200 once the owning service decided within a few seconds, else 202 with a Location to poll.
"""

TAGS = [
    {"name": "editions", "description": "Publish and read editions (staff)."},
    {"name": "sessions", "description": "Reschedule or cancel sessions (organisers)."},
    {"name": "registrations", "description": "Register, list, follow and cancel registrations."},
    {"name": "public", "description": "No credentials needed; sign-up is rate-limited."},
    {"name": "participants", "description": "A participant's own registrations and calendar."},
    {"name": "calendars", "description": "iCalendar feeds."},
    {"name": "programmes", "description": "Programmes with phases, outside dates and stage gates (staff)."},
    {"name": "teams", "description": "Programmes that recruit teams: rules, applications, decisions."},
    {"name": "feedback", "description": "Survey answers and results."},
    {"name": "commands", "description": "Outcomes of accepted commands."},
    {"name": "personal data", "description": "A person's export and erasure across every service."},
    {"name": "admin", "description": "Partner API keys (platform operators)."},
    {"name": "audit", "description": "Who read or changed a person's data (organisers, their organisation only)."},
    {"name": "contracts", "description": "The AsyncAPI document and JSON Schemas of Koos on Kafka (public)."},
    {"name": "operations", "description": "Health, readiness and metrics."},
]


NO_NATIVE_TELEMETRY: TelemetryConfig = {"tracing": False, "metrics": False, "logs": False}
"""FastAPI's own OpenTelemetry looks up the global providers on every request; Koos measures with its own."""


@dataclass(frozen=True)
class HttpSettings:
    """What the HTTP layer needs besides the ports."""

    service_name: str = "gateway"
    public_base_url: str = ""
    signup_rate_per_minute: int = 120
    api_key_rate_per_minute: int = 600
    cors_origins: tuple[str, ...] = ()
    body_limits: BodyLimits = field(default_factory=BodyLimits)


async def _always_ready() -> dict[str, bool]:
    return {}


def in_memory_limits(settings: HttpSettings, clock: Callable[[], float] = time.time) -> RateLimits:
    """The limits of a single gateway, counted in this process."""
    pools = MemoryPools()
    return RateLimits(RateLimiter(Quota("sign-up", settings.signup_rate_per_minute, 60, replicas=1), pools, clock),
                      RateLimiter(Quota("api-key", settings.api_key_rate_per_minute, 60, replicas=1), pools, clock))


def create_app(ports: Ports, settings: HttpSettings, *, readiness: ReadinessCheck = _always_ready,
               lifespan: Lifespan | None = None, rate_limits: RateLimits | None = None) -> FastAPI:
    """The application with every route, the error handlers and the request middleware."""
    app = FastAPI(title="Koos gateway", version="1.0.0", description=DESCRIPTION, openapi_tags=TAGS,
                  lifespan=lifespan, telemetry=NO_NATIVE_TELEMETRY,
                  generate_unique_id_function=openapi.operation_id)
    app.state.ports = ports
    app.state.readiness = readiness
    app.state.public_base_url = settings.public_base_url
    app.state.rate_limits = rate_limits or in_memory_limits(settings)
    for module in (public, editions, sessions, progress, registrations, people, public_follow, me, feedback, commands,
                   programmes, teams, homework, privacy, admin, contracts, audit, selections):
        app.include_router(module.router)
    app.include_router(operations_router())
    errors.install(app)
    openapi.install(app)
    app.add_middleware(BodyLimit, limits=settings.body_limits)
    if settings.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=list(settings.cors_origins), allow_methods=["*"],
                           allow_headers=["Authorization", "Content-Type", "X-API-Key", "X-Correlation-ID"],
                           expose_headers=["Location", "Retry-After", "X-Correlation-ID"])
    app.add_middleware(SecurityHeaders)
    app.add_middleware(RequestContext, service=settings.service_name)
    return app

