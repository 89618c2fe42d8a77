"""The gateway's FastAPI application, built from its ports (real ones in bootstrap, fakes in tests)."""

from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from koos_gateway.domain.rate_limit import RateLimiter
from koos_gateway.entrypoints.http import errors
from koos_gateway.entrypoints.http.middleware import RequestContext
from koos_gateway.entrypoints.http.routers import (
    admin,
    commands,
    editions,
    feedback,
    me,
    people,
    progress,
    public,
    public_follow,
    registrations,
    sessions,
)
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
    {"name": "feedback", "description": "Survey answers and results."},
    {"name": "commands", "description": "Outcomes of accepted commands."},
    {"name": "admin", "description": "Partner API keys (platform operators)."},
    {"name": "operations", "description": "Health, readiness and metrics."},
]


@dataclass(frozen=True)
class HttpSettings:
    """What the HTTP layer needs besides the ports."""

    service_name: str = "gateway"
    public_base_url: str = ""
    signup_rate_per_minute: int = 30
    cors_origins: tuple[str, ...] = ()


async def _always_ready() -> dict[str, bool]:
    return {}


def create_app(ports: Ports, settings: HttpSettings, *, readiness: ReadinessCheck = _always_ready,
               lifespan: Lifespan | None = None) -> FastAPI:
    """The application with every route, the error handlers and the request middleware."""
    app = FastAPI(title="Koos gateway", version="1.0.0", description=DESCRIPTION, openapi_tags=TAGS,
                  lifespan=lifespan)
    app.state.ports = ports
    app.state.readiness = readiness
    app.state.public_base_url = settings.public_base_url
    app.state.signup_limiter = RateLimiter(settings.signup_rate_per_minute)
    for module in (editions, sessions, progress, registrations, people, public, public_follow, me, feedback, commands,
                   admin):
        app.include_router(module.router)
    app.include_router(operations_router())
    errors.install(app)
    if settings.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=list(settings.cors_origins), allow_methods=["*"],
                           allow_headers=["Authorization", "Content-Type", "X-API-Key", "X-Correlation-ID"],
                           expose_headers=["Location", "Retry-After", "X-Correlation-ID"])
    app.add_middleware(RequestContext, service=settings.service_name)
    return app

