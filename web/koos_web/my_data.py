"""A person's data as a whole, from the web: a participant's copy of what Koos holds about them, and an
organiser's export or erasure of a person (from the person's page).

Every service answers a request with its part; the page that follows a request refreshes itself until every
part is in (or the deadline passed, and the page names the parts that did not answer). An export is shown
readably, section by service, and can be downloaded as the machine-readable JSON document.
"""

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from koos_web.context import checked_form, flash, page, problem, refused_form, see_other, texts, web_of
from koos_web.gateway import GatewayError
from koos_web.i18n import N_
from koos_web.organisers import signed_in
from koos_web.participants import from_mailed_link, needs_link, participant_button
from koos_web.rosters import entry_of
from koos_web.sessions import session_of

PARTS = {
    "registration": N_("Registrations"), "scheduling": N_("Courses and sessions"), "evaluation": N_("Feedback"),
    "notifications": N_("Mails"), "gateway": N_("Requests and sign-ins"),
}
"""Each service's part of an export, as a reader knows it."""


async def ask_for_copy(request: Request) -> Response:
    """"Get a copy of my data" on the registration page: the request, then the page that follows it."""
    registration_id = request.path_params["registration_id"]
    token = await participant_button(request)
    if isinstance(token, Response):
        return token
    try:
        answer = await web_of(request).gateway.post("/v1/me/exports", None, token)
    except GatewayError as error:
        return problem(request, error)
    return see_other(f"/r/{registration_id}/my-data/{answer.body['request_id']}")


async def copy(request: Request) -> Response:
    """The participant's copy as it gathers."""
    return await _participant_request(request, "participants/my_data.html")


async def copy_status(request: Request) -> Response:
    """The copy alone, for the page to refresh itself with."""
    return await _participant_request(request, "_privacy_request.html")


async def copy_download(request: Request) -> Response:
    """The copy as the JSON document, to keep."""
    registration_id = request.path_params["registration_id"]
    token = session_of(request).token(f"r:{registration_id}")
    if token is None:
        return needs_link(request)
    return await _download(request, token)


async def _participant_request(request: Request, template: str) -> Response:
    registration_id, request_id = request.path_params["registration_id"], request.path_params["request_id"]
    if (redirect := from_mailed_link(request, f"r:{registration_id}")) is not None:
        return redirect  # the link of the mail that says the copy is ready
    token = session_of(request).token(f"r:{registration_id}")
    if token is None:
        return needs_link(request)
    try:
        found = await web_of(request).gateway.get(f"/v1/privacy/requests/{request_id}", token)
    except GatewayError as error:
        return problem(request, error)
    base = f"/r/{registration_id}/my-data/{request_id}"
    return page(request, template, req=found, parts=PARTS, status_url=f"{base}/status", download_url=f"{base}.json",
                back_url=f"/r/{registration_id}", for_staff=False, names=_part_names(request, found))


@signed_in
async def export_person(request: Request, token: str) -> Response:
    """An organiser exports a person's data on their behalf (to answer a request made by letter, say)."""
    return await _ask_for_person(request, token, "exports")


@signed_in
async def erase_person(request: Request, token: str) -> Response:
    """An organiser erases a person in every service, once they confirmed they mean it."""
    return await _ask_for_person(request, token, "erasures")


async def _ask_for_person(request: Request, token: str, kind: str) -> Response:
    edition_id, registration_id = request.path_params["edition_id"], str(request.path_params["registration_id"])
    form = await checked_form(request)
    if form is None:
        return refused_form(request)
    _ = texts(request)
    back = f"/staff/editions/{edition_id}/people/{registration_id}"
    if kind == "erasures" and form.get("confirm") != "yes":
        flash(request, _("Tick the box to confirm that the person's data is to be erased."), "error")
        return see_other(back)
    gateway = web_of(request).gateway
    entry = entry_of(await gateway.get(f"/v1/editions/{edition_id}/roster", token), registration_id)
    if entry is None or not entry.get("email"):
        return Response(status_code=404)
    answer = await gateway.post(f"/v1/people/{kind}", {"email": entry["email"]}, token)
    return see_other(f"/staff/privacy/{answer.body['request_id']}")


@signed_in
async def person_request(request: Request, token: str) -> Response:
    """An export or erasure an organiser asked for, as it is answered."""
    return await _staff_request(request, token, "staff/privacy_request.html")


@signed_in
async def person_request_status(request: Request, token: str) -> Response:
    return await _staff_request(request, token, "_privacy_request.html")


@signed_in
async def person_request_download(request: Request, token: str) -> Response:
    return await _download(request, token)


async def _staff_request(request: Request, token: str, template: str) -> Response:
    request_id = request.path_params["request_id"]
    found = await web_of(request).gateway.get(f"/v1/privacy/requests/{request_id}", token)
    base = f"/staff/privacy/{request_id}"
    return page(request, template, req=found, parts=PARTS, status_url=f"{base}/status", download_url=f"{base}.json",
                back_url="/staff/editions", for_staff=True, names=_part_names(request, found))


def _part_names(request: Request, found: dict[str, Any]) -> dict[str, list[str]]:
    """The parts that answered and those still missing, by the names a reader knows."""
    _ = texts(request)
    return {key: [_(PARTS.get(service, service)) for service in found.get(key) or []]
            for key in ("answered", "missing")}


async def _download(request: Request, token: str) -> Response:
    request_id = request.path_params["request_id"]
    try:
        found = await web_of(request).gateway.get(f"/v1/privacy/requests/{request_id}", token)
    except GatewayError as error:
        return problem(request, error)
    if found.get("kind") != "export" or found.get("document") is None:
        return Response(status_code=404)
    body = {"request_id": found["request_id"], "requested_at": found["requested_at"], "status": found["status"],
            "missing": found["missing"], "document": found["document"]}
    return Response(json.dumps(body, ensure_ascii=False, indent=2), media_type="application/json; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="koos-data-{request_id}.json"',
                             "Cache-Control": "private, no-store"})


ROUTES = [
    Route("/r/{registration_id:uuid}/my-data", ask_for_copy, methods=["POST"]),
    Route("/r/{registration_id:uuid}/my-data/{request_id:uuid}", copy, methods=["GET"]),
    Route("/r/{registration_id:uuid}/my-data/{request_id:uuid}/status", copy_status, methods=["GET"]),
    Route("/r/{registration_id:uuid}/my-data/{request_id:uuid}.json", copy_download, methods=["GET"]),
    Route("/staff/editions/{edition_id:uuid}/people/{registration_id:uuid}/export", export_person, methods=["POST"]),
    Route("/staff/editions/{edition_id:uuid}/people/{registration_id:uuid}/erase", erase_person, methods=["POST"]),
    Route("/staff/privacy/{request_id:uuid}", person_request, methods=["GET"]),
    Route("/staff/privacy/{request_id:uuid}/status", person_request_status, methods=["GET"]),
    Route("/staff/privacy/{request_id:uuid}.json", person_request_download, methods=["GET"]),
]
