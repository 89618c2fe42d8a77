"""Organisers sign in: at an OpenID Connect provider, or (development mode only) with a development login."""

import re
import time
from typing import Any

import jwt
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from koos_kit.logging import get_logger
from koos_web.context import checked_form, page, refused_form, see_other, texts, web_of
from koos_web.gateway import GatewayError
from koos_web.oidc import SignInFailed
from koos_web.sessions import session_of

log = get_logger("koos.web.staff")
STAFF_HOURS = 12
ROLES = ("organiser", "trainer")


def staff_token(request: Request) -> str | None:
    """The signed-in organiser's bearer token, while it lasts."""
    staff = session_of(request).get("staff")
    if not staff or float(staff.get("until", 0)) <= time.time():
        return None
    return str(staff["token"])


async def lasting_staff_token(request: Request) -> str | None:
    """The bearer token, renewed at the provider with the refresh token when it has run out."""
    token = staff_token(request)
    staff, oidc = session_of(request).get("staff"), web_of(request).oidc
    if token is not None or not staff or not staff.get("refresh") or oidc is None:
        return token
    try:
        renewed = await oidc.refresh(str(staff["refresh"]), str(staff.get("name", "")))
    except (SignInFailed, OSError, ValueError) as error:
        log.info("the sign-in could not be renewed", reason=str(error))
        session_of(request).pop("staff")
        return None
    await _signed_in(request, renewed.access_token, renewed.name, int(time.time()) + renewed.expires_in,
                     renewed.refresh_token)
    return renewed.access_token


def to_sign_in(request: Request) -> RedirectResponse:
    """Off to sign in, and back here afterwards."""
    return RedirectResponse(f"/staff/sign-in?next={request.url.path}", status_code=303)


async def sign_in(request: Request) -> Response:
    """The ways to sign in that this web offers."""
    settings = web_of(request).settings
    return page(request, "staff/sign_in.html", development=settings.development_login,
                oidc=settings.oidc_configured, next=_next(request.query_params.get("next")),
                values={"organisation": "oslo-kommune", "role": "organiser"}, errors={})


async def development_sign_in(request: Request) -> Response:
    """Development mode only: a staff token minted with the gateway's staff secret."""
    settings = web_of(request).settings
    if not settings.development_login:
        return Response(status_code=404)
    form = await checked_form(request)
    if form is None:
        return refused_form(request)
    _ = texts(request)
    errors = {name: _("This field is required.") for name in ("name", "organisation") if not form.get(name)}
    if form.get("role") not in ROLES:
        errors["role"] = _("Choose one of the options.")
    if errors:
        return page(request, "staff/sign_in.html", status=422, development=True, oidc=settings.oidc_configured,
                    next=_next(form.get("next")), values=form, errors=errors)
    now = int(time.time())
    subject = re.sub(r"[^a-z0-9]+", "-", form["name"].casefold()).strip("-") or "organiser"
    claims = {"sub": subject, "org": form["organisation"], "role": form["role"], "iss": settings.jwt_issuer,
              "aud": settings.jwt_audience, "iat": now, "exp": now + STAFF_HOURS * 3600}
    token = jwt.encode(claims, settings.jwt_secret, algorithm="HS256")
    await _signed_in(request, token, form["name"], now + STAFF_HOURS * 3600)
    return see_other(_next(form.get("next")))


async def oidc_start(request: Request) -> Response:
    """Off to the identity provider."""
    oidc = web_of(request).oidc
    if oidc is None:
        return Response(status_code=404)
    try:
        started = await oidc.start(_next(request.query_params.get("next")))
    except (SignInFailed, OSError, ValueError) as error:
        log.warning("sign-in could not start", error_type=type(error).__name__)
        return _failed(request)
    session_of(request)["oidc"] = started.pending
    return RedirectResponse(started.redirect_to, status_code=303)


async def oidc_callback(request: Request) -> Response:
    """Back from the identity provider with a code."""
    oidc = web_of(request).oidc
    if oidc is None:
        return Response(status_code=404)
    pending: dict[str, Any] | None = session_of(request).pop("oidc")
    try:
        signed_in = await oidc.finish(pending, request.query_params.get("code"), request.query_params.get("state"))
    except (SignInFailed, OSError, ValueError) as error:
        log.warning("sign-in failed", reason=str(error))
        return _failed(request)
    await _signed_in(request, signed_in.access_token, signed_in.name, int(time.time()) + signed_in.expires_in,
                     signed_in.refresh_token)
    return see_other(_next((pending or {}).get("next")))


async def sign_out(request: Request) -> Response:
    form = await checked_form(request)
    if form is None:
        return refused_form(request)
    session_of(request).pop("staff")
    return see_other("/")


async def _signed_in(request: Request, token: str, name: str, until: int, refresh: str | None = None) -> None:
    """Keep the token, and the role the gateway reads in it: pages offer only what the role may do."""
    try:
        caller = await web_of(request).gateway.get("/v1/me/caller", token=token)
        role = str(caller.get("role", ""))
    except GatewayError as error:
        log.warning("the caller's role is not known", status=error.status)
        role = ""
    session = session_of(request)
    session["staff"] = {"token": token, "name": name, "until": until, "role": role, "refresh": refresh}
    session["csrf"] = session.csrf


def _failed(request: Request) -> Response:
    _ = texts(request)
    return page(request, "problem.html", status=401, title=_("Sign-in failed"),
                message=_("The sign-in could not be completed. Please try again."))


def _next(path: str | None) -> str:
    """Only a path of this site (never another site's address)."""
    return path if path and path.startswith("/") and not path.startswith("//") else "/staff/editions"


ROUTES = [
    Route("/staff/sign-in", sign_in, methods=["GET"]),
    Route("/staff/sign-in/development", development_sign_in, methods=["POST"]),
    Route("/staff/sign-in/oidc", oidc_start, methods=["GET"]),
    Route("/staff/oidc/callback", oidc_callback, methods=["GET"]),
    Route("/staff/sign-out", sign_out, methods=["POST"]),
]
