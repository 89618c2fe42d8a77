"""Pages for organisers: their editions, publishing one, and changing its sessions."""

from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from koos_web.context import checked_form, flash, page, problem, refused_form, see_other, texts, web_of
from koos_web.edition_form import TIME_ZONES, EditionForm, field_for
from koos_web.explain import explain, place_refusal
from koos_web.formats import Formats
from koos_web.gateway import GatewayError
from koos_web.rendering import language_of
from koos_web.staff_auth import lasting_staff_token, to_sign_in

Handler = Callable[[Request, str], Awaitable[Response]]


def signed_in(handler: Handler) -> Callable[[Request], Awaitable[Response]]:
    """Only for a signed-in organiser; the others go to sign in first."""

    async def guarded(request: Request) -> Response:
        token = await lasting_staff_token(request)
        if token is None:
            return to_sign_in(request)
        try:
            return await handler(request, token)
        except GatewayError as error:
            if error.status == 401:
                return to_sign_in(request)
            return problem(request, error)

    guarded.__name__ = handler.__name__
    return guarded


@signed_in
async def editions(request: Request, token: str) -> Response:
    """The organisation's editions, the latest first."""
    found = await web_of(request).gateway.get("/v1/editions", token, limit=100)
    return page(request, "staff/editions.html", editions=found["items"])


@signed_in
async def new_edition(request: Request, token: str) -> Response:
    return _edition_form(request, EditionForm.blank())


@signed_in
async def publish(request: Request, token: str) -> Response:
    """Publish, or show every problem at its field; adding a row only shows the form again."""
    values = await checked_form(request)
    if values is None:
        return refused_form(request)
    form = EditionForm.of(await request.form())
    if form.value("action") != "publish":
        return _edition_form(request, form)
    body, fields = form.body()
    try:
        answer = await web_of(request).gateway.post("/v1/editions", body, token)
    except GatewayError as error:
        if error.code == "edition_exists":
            return see_other(f"/staff/editions/{body['edition_id']}")
        if error.status != 422:
            raise
        _place_errors(form, error, fields, texts(request))
        return _edition_form(request, form, status=422)
    _ = texts(request)
    flash(request, _("The edition is published.") if answer.status == 201 else
          _("The edition is being published; this page shows it once scheduling has answered."))
    return see_other(f"/staff/editions/{body['edition_id']}")


def _place_errors(form: EditionForm, error: GatewayError, fields: dict[str, str], _: Any) -> None:
    if error.code == "validation_failed":
        for path, reason in error.fields().items():
            name = field_for(path, fields)
            text = explain(reason, _)
            if name:
                form.errors.setdefault(name, text)
            else:
                form.summary.append(text)
        return
    where, text = place_refusal(error.reason, _)
    name = field_for(where, fields) if where else ""
    if name:
        form.errors[name] = text
    else:
        form.summary.append(text)


def _edition_form(request: Request, form: EditionForm, status: int = 200) -> Response:
    formats = Formats(language_of(request))
    zones = [(zone, f"{formats.city(zone)} ({zone})") for zone in TIME_ZONES]
    return page(request, "staff/edition_form.html", status=status, form=form, time_zones=zones)


@signed_in
async def edition(request: Request, token: str) -> Response:
    """An edition with its sessions: reschedule, cancel, mark held; links to its people and results."""
    return await _edition_page(request, token, {}, "")


async def _edition_page(request: Request, token: str, errors: dict[str, str], failed_session: str,
                        status: int = 200) -> Response:
    edition_id = request.path_params["edition_id"]
    gateway = web_of(request).gateway
    found = await gateway.get(f"/v1/editions/{edition_id}", token)
    progress = await gateway.get(f"/v1/editions/{edition_id}/progress", token)
    base = web_of(request).settings.web_base_url.rstrip("/")
    return page(request, "staff/edition.html", status=status, edition=found, progress=progress, errors=errors,
                failed_session=failed_session, public_url=f"{base}/e/{edition_id}")


@signed_in
async def change_session(request: Request, token: str) -> Response:
    """Reschedule, cancel or mark held one session; scheduling's refusal is shown at that session."""
    edition_id, session_id = request.path_params["edition_id"], request.path_params["session_id"]
    change = request.path_params["change"]
    if change not in ("reschedule", "cancel", "held"):
        return Response(status_code=404)
    form = await checked_form(request)
    if form is None:
        return refused_form(request)
    _ = texts(request)
    body = _session_change(change, form)
    try:
        await web_of(request).gateway.post(f"/v1/editions/{edition_id}/sessions/{session_id}/{change}", body, token)
    except GatewayError as error:
        if error.status != 422:
            raise
        errors = {f"{change}-{session_id}-{f}": explain(r, _) for f, r in error.fields().items()}
        if not errors:
            errors[f"{change}-{session_id}"] = place_refusal(error.reason, _)[1]
        return await _edition_page(request, token, errors, session_id, status=422)
    flash(request, {"reschedule": _("The session is moved; its participants are told."),
                    "cancel": _("The session is cancelled; its participants are told."),
                    "held": _("The session is marked held.")}[change])
    return see_other(f"/staff/editions/{edition_id}")


def _session_change(change: str, form: dict[str, str]) -> dict[str, Any]:
    if change == "reschedule":
        body: dict[str, Any] = {"date": form.get("date") or None, "start": form.get("start") or None,
                                "end": form.get("end") or None}
        venue = {name: form.get(f"venue_{name}", "") for name in ("name", "address", "city")}
        if any(venue.values()):
            body["venue"] = venue
        return body
    if change == "cancel":
        return {"reason": form.get("reason") or None}
    return {"closes_edition": form.get("closes_edition") == "yes"}


async def home(request: Request) -> Response:
    return page(request, "home.html")


async def staff_home(request: Request) -> Response:
    return see_other("/staff/editions")


ROUTES = [
    Route("/", home, methods=["GET"]),
    Route("/staff", staff_home, methods=["GET"]),
    Route("/staff/editions", editions, methods=["GET"]),
    Route("/staff/editions", publish, methods=["POST"]),
    Route("/staff/editions/new", new_edition, methods=["GET"]),
    Route("/staff/editions/{edition_id:uuid}", edition, methods=["GET"]),
    Route("/staff/editions/{edition_id:uuid}/sessions/{session_id}/{change:str}", change_session, methods=["POST"]),
]
