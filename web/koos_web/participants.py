"""Pages for people who take part: an edition and its sign-up, the decision, their registration, the survey."""

from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from koos_web.context import checked_form, flash, page, problem, refused_form, see_other, texts, web_of
from koos_web.explain import explain
from koos_web.gateway import CANCELLED, Answer, Gateway, GatewayError
from koos_web.i18n import LANGUAGES
from koos_web.rendering import language_of
from koos_web.sessions import session_of

PERSON_FIELDS = ("name", "email", "language")
CONSENT_WORDING_VERSION = "2026-12-02"
"""The version of the consent texts of the sign-up form: change it whenever their wording changes."""


async def edition(request: Request) -> Response:
    """Title, description, sessions with venue and time, seats left or the line, and the sign-up form."""
    edition_id = request.path_params["edition_id"]
    try:
        found = await web_of(request).gateway.get(f"/v1/public/editions/{edition_id}")
    except GatewayError as error:
        return problem(request, error)
    return page(request, "participants/edition.html", edition=found, values={"language": language_of(request)},
                errors={}, summary=[])


async def sign_up(request: Request) -> Response:
    """Send the sign-up; field errors at their fields; then the page that shows the decision."""
    edition_id = request.path_params["edition_id"]
    form = await checked_form(request)
    if form is None:
        return refused_form(request)
    _ = texts(request)
    web = web_of(request)
    errors = {} if form.get("consent") else {"consent": _("Please agree to the use of your data to sign up.")}
    person = {name: form.get(name, "") for name in PERSON_FIELDS}
    if person["language"] not in LANGUAGES:
        person["language"] = language_of(request)
    summary: list[str] = []
    if not errors:
        try:
            answer = await web.gateway.post(f"/v1/public/editions/{edition_id}/registrations",
                                            {**person, "consent": _consent(form)}, client=_client(request),
                                            wait=web.settings.web_sign_up_wait_seconds)
            return see_other(f"/e/{edition_id}/sign-ups/{answer.body['command_id']}")
        except GatewayError as error:
            if error.status not in (409, 422, 429):
                return problem(request, error)
            errors, summary = _sign_up_refusal(error, _)
    try:
        found = await web.gateway.get(f"/v1/public/editions/{edition_id}")
    except GatewayError as error:
        return problem(request, error)
    return page(request, "participants/edition.html", status=422, edition=found, values=form, errors=errors,
                summary=summary)


def _consent(form: Any) -> dict[str, Any]:
    """The purposes ticked on the form (the course always: the form is not sent without it) and the wording."""
    purposes = ["course", *(["next_editions"] if form.get("next_editions") else [])]
    return {"purposes": purposes, "wording_version": CONSENT_WORDING_VERSION}


def _sign_up_refusal(error: GatewayError, _: Any) -> tuple[dict[str, str], list[str]]:
    if error.status == 422:
        return {f: explain(r, _) for f, r in error.fields().items() if f in PERSON_FIELDS}, []
    if error.status == 429:
        return {}, [_("Many people are signing up from your network right now. Please wait a minute and try again.")]
    if error.code == "registration_not_open":
        return {}, [_("Registration has not opened yet.")]
    if error.code == "registration_closed":
        return {}, [_("Registration has closed.")]
    return {}, [error.reason]


async def decision(request: Request) -> Response:
    """The decision on a sign-up as it arrives: confirmed, or the place in line."""
    edition_id, command_id = request.path_params["edition_id"], request.path_params["command_id"]
    gateway = web_of(request).gateway
    try:
        found = await gateway.get(f"/v1/public/sign-ups/{command_id}")
        edition_found = await gateway.get(f"/v1/public/editions/{edition_id}")
    except GatewayError as error:
        return problem(request, error)
    return page(request, "participants/decision.html", decision=found, edition=edition_found,
                status_url=f"/e/{edition_id}/sign-ups/{command_id}/status")


async def decision_status(request: Request) -> Response:
    """The decision alone, for the page to refresh itself with (it waits a while for news)."""
    command_id = request.path_params["command_id"]
    try:
        found = await web_of(request).gateway.get(f"/v1/public/sign-ups/{command_id}", wait=8)
    except GatewayError as error:
        return problem(request, error)
    return page(request, "participants/_decision_status.html", decision=found)


async def links_form(request: Request) -> Response:
    """"Send me my link again": the address to send it to."""
    edition_id = request.path_params["edition_id"]
    try:
        found = await web_of(request).gateway.get(f"/v1/public/editions/{edition_id}")
    except GatewayError as error:
        return problem(request, error)
    return page(request, "participants/links.html", edition=found, values={}, errors={}, sent=False)


async def links_send(request: Request) -> Response:
    """Ask for the links; the answer is the same whether or not the address is registered."""
    edition_id = request.path_params["edition_id"]
    form = await checked_form(request)
    if form is None:
        return refused_form(request)
    _ = texts(request)
    gateway = web_of(request).gateway
    errors: dict[str, str] = {}
    try:
        await gateway.post(f"/v1/public/editions/{edition_id}/links", {"email": form.get("email", "")},
                           client=_client(request))
    except GatewayError as error:
        if error.status != 422:
            return problem(request, error)
        errors = {"email": explain(error.fields().get("email", ""), _)}
    found = await gateway.get(f"/v1/public/editions/{edition_id}")
    return page(request, "participants/links.html", status=422 if errors else 200, edition=found, values=form,
                errors=errors, sent=not errors)


def from_mailed_link(request: Request, key: str) -> RedirectResponse | None:
    """A mailed link's token goes into the session, and the address bar loses it."""
    token = request.query_params.get("token")
    if not token:
        return None
    language_of(request)
    session_of(request).keep_token(key, token)
    return RedirectResponse(request.url.path, status_code=303)


async def registration(request: Request) -> Response:
    """My registration: its status, place in line, sessions, calendar, cancel; and the survey when it is open."""
    registration_id = request.path_params["registration_id"]
    key = f"r:{registration_id}"
    if (redirect := from_mailed_link(request, key)) is not None:
        return redirect
    token = session_of(request).token(key)
    if token is None:
        return needs_link(request)
    gateway, base = web_of(request).gateway, web_of(request).settings.web_base_url.rstrip("/")
    try:
        mine = await gateway.get(f"/v1/registrations/{registration_id}", token)
        found = await gateway.get(f"/v1/public/editions/{mine['edition_id']}")
    except GatewayError as error:
        return problem(request, error)
    survey_open = await _survey_open(request, mine["edition_id"], token)
    return page(request, "participants/registration.html", registration=mine, edition=found,
                survey_open=survey_open, following=request.query_params.get("following") == "1",
                calendar_url=f"{base}/me/calendar.ics?token={token}",
                webcal_url=f"webcal://{base.split('://', 1)[1]}/me/calendar.ics?token={token}")


async def registration_status(request: Request) -> Response:
    """The status alone, for the page to refresh itself with after a cancellation."""
    registration_id = request.path_params["registration_id"]
    token = session_of(request).token(f"r:{registration_id}")
    if token is None:
        return needs_link(request)
    try:
        mine = await web_of(request).gateway.get(f"/v1/registrations/{registration_id}", token)
    except GatewayError as error:
        if error.code != CANCELLED:
            return problem(request, error)
        mine = {"registration_id": registration_id, "status": "cancelled"}
    return page(request, "participants/_registration_status.html", registration=mine)


async def cancel(request: Request) -> Response:
    """Cancel, or leave the line, with one button."""
    _ = texts(request)
    return await _act_on_registration(
        request, lambda gateway, path, token: gateway.delete(path, token),
        _("Your cancellation is on its way. This page shows when it is done."), "?following=1")


async def withdraw_consent(request: Request) -> Response:
    """Stop being told of the next editions, with one button; the registration stays."""
    _ = texts(request)
    return await _act_on_registration(
        request, lambda gateway, path, token: gateway.post(f"{path}/consent/withdrawals",
                                                           {"purposes": ["next_editions"]}, token),
        _("You will not be told about next editions."), "")


async def _act_on_registration(request: Request, act: Callable[[Gateway, str, str], Awaitable[Answer]],
                               done: str, follow: str) -> Response:
    """A button of the registration page: the form checked, the participant's token, the gateway asked."""
    registration_id = request.path_params["registration_id"]
    token = await participant_button(request)
    if isinstance(token, Response):
        return token
    try:
        await act(web_of(request).gateway, f"/v1/registrations/{registration_id}", token)
    except GatewayError as error:
        return problem(request, error)
    flash(request, done)
    return see_other(f"/r/{registration_id}{follow}")


async def participant_button(request: Request) -> str | Response:
    """The participant's token for a button of their registration page, or the page that says why it cannot be."""
    if await checked_form(request) is None:
        return refused_form(request)
    token = session_of(request).token(f"r:{request.path_params['registration_id']}")
    return needs_link(request) if token is None else token


async def registration_calendar(request: Request) -> Response:
    """The calendar file of my sessions, to download."""
    token = session_of(request).token(f"r:{request.path_params['registration_id']}")
    if token is None:
        return needs_link(request)
    return await _calendar(request, token, "attachment")


async def calendar_feed(request: Request) -> Response:
    """The personal calendar to subscribe to (calendar apps send no cookie: the token is in the address)."""
    return await _calendar(request, request.query_params.get("token", ""), "inline")


async def _calendar(request: Request, token: str, disposition: str) -> Response:
    answer = await web_of(request).gateway.raw("/v1/me/calendar.ics", token=token)
    if answer.status_code != 200:
        return Response(status_code=answer.status_code)
    return Response(answer.content, media_type="text/calendar; charset=utf-8",
                    headers={"Content-Disposition": f'{disposition}; filename="koos.ics"',
                             "Cache-Control": "private, no-store"})


async def feedback(request: Request) -> Response:
    """The survey from the mail."""
    edition_id = request.path_params["edition_id"]
    if (redirect := from_mailed_link(request, f"f:{edition_id}")) is not None:
        return redirect
    return await _feedback_page(request, edition_id, {}, {}, [])


async def feedback_send(request: Request) -> Response:
    """Send the answers; a rating per question is required."""
    edition_id = request.path_params["edition_id"]
    form = await checked_form(request)
    if form is None:
        return refused_form(request)
    _ = texts(request)
    token = session_of(request).token(f"f:{edition_id}")
    if token is None:
        return needs_link(request)
    gateway = web_of(request).gateway
    try:
        survey = await gateway.get(f"/v1/editions/{edition_id}/feedback/form", token)
    except GatewayError as error:
        return problem(request, error)
    ratings = {q["key"]: form.get(f"q_{q['key']}") for q in survey["questions"]}
    errors = {f"q_{k}": _("Choose a rating from 1 to 5.") for k, v in ratings.items() if v not in list("12345")}
    if not errors:
        body = {"ratings": {k: int(str(v)) for k, v in ratings.items()}, "comment": form.get("comment") or None}
        try:
            await gateway.post(f"/v1/editions/{edition_id}/feedback", body, token, wait=10)
            return page(request, "participants/feedback_thanks.html", edition_id=edition_id)
        except GatewayError as error:
            if error.status != 422:
                return problem(request, error)
            return await _feedback_page(request, edition_id, form, {}, [_feedback_refusal(error.reason, _)], 422)
    return await _feedback_page(request, edition_id, form, errors, [], 422)


def _feedback_refusal(reason: str, _: Any) -> str:
    if "already" in reason:
        return str(_("You have answered this survey already. Thank you!"))
    if "closed" in reason or "opens after" in reason:
        return str(_("The survey is not open."))
    if "only participants" in reason:
        return str(_("Only participants of the course can answer its survey."))
    return reason


async def _feedback_page(request: Request, edition_id: str, values: dict[str, str], errors: dict[str, str],
                         summary: list[str], status: int = 200) -> Response:
    token = session_of(request).token(f"f:{edition_id}")
    if token is None:
        return needs_link(request)
    gateway = web_of(request).gateway
    try:
        survey = await gateway.get(f"/v1/editions/{edition_id}/feedback/form", token)
        found = await gateway.get(f"/v1/public/editions/{edition_id}")
    except GatewayError as error:
        return problem(request, error)
    return page(request, "participants/feedback.html", status=status, survey=survey, edition=found, values=values,
                errors=errors, summary=summary, preview=False)


async def _survey_open(request: Request, edition_id: str, token: str) -> bool:
    try:
        await web_of(request).gateway.get(f"/v1/editions/{edition_id}/feedback/form", token)
    except GatewayError:
        return False
    session_of(request).keep_token(f"f:{edition_id}", token)
    return True


def _client(request: Request) -> str | None:
    """The visitor's address (uvicorn takes it from X-Forwarded-For of trusted proxies in front of the web)."""
    return request.client.host if request.client else None


def needs_link(request: Request) -> Response:
    """The page for a personal address opened without its mailed link."""
    _ = texts(request)
    return page(request, "problem.html", status=401, title=_("Open this page from your e-mail"),
                message=_("This page is personal. Open it with the link in the e-mail we sent you; if you cannot "
                          "find the e-mail, ask for the link again on the course's page."))


ROUTES = [
    Route("/e/{edition_id:uuid}", edition, methods=["GET"]),
    Route("/e/{edition_id:uuid}/sign-up", sign_up, methods=["POST"]),
    Route("/e/{edition_id:uuid}/sign-ups/{command_id:uuid}", decision, methods=["GET"]),
    Route("/e/{edition_id:uuid}/sign-ups/{command_id:uuid}/status", decision_status, methods=["GET"]),
    Route("/e/{edition_id:uuid}/links", links_form, methods=["GET"]),
    Route("/e/{edition_id:uuid}/links", links_send, methods=["POST"]),
    Route("/r/{registration_id:uuid}", registration, methods=["GET"]),
    Route("/r/{registration_id:uuid}/status", registration_status, methods=["GET"]),
    Route("/r/{registration_id:uuid}/cancel", cancel, methods=["POST"]),
    Route("/r/{registration_id:uuid}/consent/withdraw", withdraw_consent, methods=["POST"]),
    Route("/r/{registration_id:uuid}/calendar.ics", registration_calendar, methods=["GET"]),
    Route("/me/calendar.ics", calendar_feed, methods=["GET"]),
    Route("/f/{edition_id:uuid}", feedback, methods=["GET"]),
    Route("/f/{edition_id:uuid}", feedback_send, methods=["POST"]),
]
