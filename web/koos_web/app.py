"""The web front end's application: pages, static files, the session cookie, health; built from its settings."""

import hashlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from koos_web import my_data, organisers, participants, results, rosters, staff_auth
from koos_web.config import Settings
from koos_web.context import Web, page, texts, web_of
from koos_web.gateway import Gateway
from koos_web.i18n import load_all
from koos_web.oidc import OidcClient
from koos_web.rendering import Renderer
from koos_web.sessions import Sealer, SessionMiddleware

STATIC = Path(__file__).parent / "static"
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
                               "frame-ancestors 'none'; form-action 'self' *",
    "X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin", "X-Frame-Options": "DENY",
}


def create_app(settings: Settings, transport: httpx.AsyncBaseTransport | None = None,
               oidc_transport: httpx.AsyncBaseTransport | None = None) -> Starlette:
    """The app; `transport` replaces the network to the gateway in tests (and `oidc_transport` the provider's)."""
    gateway = Gateway(settings.gateway_url, settings.web_gateway_timeout_seconds, transport)
    renderer = Renderer(load_all(), static_version=_static_version())
    oidc = None
    if settings.oidc_configured:
        oidc = OidcClient(settings.web_oidc_issuer, settings.web_oidc_client_id, settings.web_oidc_client_secret,
                          f"{settings.web_base_url.rstrip('/')}/staff/oidc/callback", settings.web_oidc_scopes,
                          oidc_transport)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        await gateway.close()

    routes: list[Any] = [*participants.ROUTES, *staff_auth.ROUTES, *organisers.ROUTES, *rosters.ROUTES,
                         *results.ROUTES, *my_data.ROUTES, Route("/healthz", healthz), Route("/readyz", readyz),
                         Mount("/static", StaticFiles(directory=STATIC), name="static")]
    app = Starlette(routes=routes, lifespan=lifespan, exception_handlers={404: not_found})
    app.state.web = Web(settings, gateway, renderer, oidc)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(SessionMiddleware, sealer=Sealer(settings.cookie_secret), secure=settings.secure_cookies)
    return app


async def healthz(request: Request) -> Response:
    return JSONResponse({"alive": True})


async def readyz(request: Request) -> Response:
    """Ready when the gateway answers."""
    gateway = await web_of(request).gateway.healthy()
    return JSONResponse({"ready": gateway, "checks": {"gateway": gateway}}, status_code=200 if gateway else 503)


async def not_found(request: Request, error: Exception) -> Response:
    _ = texts(request)
    return page(request, "problem.html", status=404, title=_("Not found"),
                message=_("There is nothing here. The address may be mistyped, or what it showed is gone."))


class SecurityHeaders:
    """Headers every answer carries: no framing, no sniffing, scripts and styles from this site only."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        async def with_headers(message: Any) -> None:
            if message["type"] == "http.response.start":
                headers = message.setdefault("headers", [])
                headers.extend((k.lower().encode(), v.encode()) for k, v in SECURITY_HEADERS.items())
            await send(message)

        await self.app(scope, receive, with_headers if scope["type"] == "http" else send)


def _static_version() -> str:
    digest = hashlib.sha256()
    for path in sorted(STATIC.glob("*")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:10]
