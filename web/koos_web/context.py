"""What every page handler shares: settings, the gateway, the renderer, the identity provider; and common answers."""

from dataclasses import dataclass
from typing import Any, cast

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from koos_web.config import Settings
from koos_web.gateway import CANCELLED, Gateway, GatewayError
from koos_web.oidc import OidcClient
from koos_web.rendering import Renderer, language_of
from koos_web.sessions import csrf_ok, session_of


@dataclass
class Web:
    """The web's parts, built once by the app."""

    settings: Settings
    gateway: Gateway
    renderer: Renderer
    oidc: OidcClient | None = None


def web_of(request: Request) -> Web:
    return cast(Web, request.app.state.web)


def texts(request: Request) -> Any:
    """The `_` of the reader's language."""
    return web_of(request).renderer.gettext(language_of(request))


def page(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    return web_of(request).renderer.page(request, template, status=status, **context)


def see_other(path: str) -> RedirectResponse:
    """After a form: go to the page that shows the outcome (POST/redirect/GET)."""
    return RedirectResponse(path, status_code=303)


def flash(request: Request, text: str, kind: str = "info") -> None:
    """A message for the next page shown."""
    session_of(request)["flash"] = {"text": text, "kind": kind}


async def checked_form(request: Request) -> dict[str, str] | None:
    """The form's fields, or None if it lacks this browser's CSRF token."""
    form = await request.form()
    values = {k: str(v).strip() for k, v in form.items() if isinstance(v, str)}
    return values if csrf_ok(request, values.get("csrf")) else None


def refused_form(request: Request) -> HTMLResponse:
    _ = texts(request)
    return page(request, "problem.html", status=403, title=_("This form has expired"),
                message=_("Please go back, reload the page and send the form again."))


def problem(request: Request, error: GatewayError) -> Response:
    """A page for what the gateway answered that the page cannot handle itself."""
    _ = texts(request)
    if error.status == 404:
        return page(request, "problem.html", status=404, title=_("Not found"),
                    message=_("There is nothing here. The address may be mistyped, or what it showed is gone."))
    if error.code == CANCELLED:
        return page(request, "problem.html", status=401, title=_("Your registration is cancelled."),
                    message=_("You are always welcome to sign up again for a later course."))
    if error.status == 401:
        return page(request, "problem.html", status=401, title=_("Your link has expired"),
                    message=_("Ask for a new link on the course's page, or sign in again."))
    if error.status == 403:
        return page(request, "problem.html", status=403, title=_("Not allowed"),
                    message=_("Your role does not allow this."))
    if error.status == 429:
        return page(request, "problem.html", status=429, title=_("Too many requests"),
                    message=_("Please wait a minute and try again."))
    return page(request, "problem.html", status=503, title=_("Koos cannot be reached right now"),
                message=_("Please try again in a moment."))
