"""The people of an edition for its organisers: the lists (filling as they watch), a person's mails, exports."""

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from koos_web.context import checked_form, flash, page, refused_form, see_other, texts, web_of
from koos_web.exports import Table, as_csv, as_xlsx
from koos_web.i18n import N_
from koos_web.organisers import signed_in

MAIL_KINDS = {
    "registration_confirmed": N_("Confirmation"), "registration_waitlisted": N_("Place in line"),
    "registration_promoted": N_("Promotion"), "registration_cancelled": N_("Cancellation"),
    "session_reminder": N_("Reminder"), "session_rescheduled": N_("Session moved"),
    "session_cancelled": N_("Session cancelled"), "feedback_requested": N_("Feedback request"),
    "links_resent": N_("Links sent again"),
}
MAIL_STATES = {"delivered": N_("delivered"), "in_doubt": N_("in doubt (may have arrived twice)"),
               "failed": N_("failed")}
STATUSES = {"confirmed": N_("confirmed"), "waiting": N_("waiting"), "cancelled": N_("cancelled")}


async def _roster(request: Request, token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    edition_id = request.path_params["edition_id"]
    gateway = web_of(request).gateway
    return (await gateway.get(f"/v1/editions/{edition_id}", token),
            await gateway.get(f"/v1/editions/{edition_id}/roster", token))


@signed_in
async def roster(request: Request, token: str) -> Response:
    """Confirmed, waiting in order, cancelled; the page refreshes the lists while it is open."""
    edition, people = await _roster(request, token)
    return page(request, "staff/roster.html", edition=edition, roster=people, kinds=MAIL_KINDS, states=MAIL_STATES)


@signed_in
async def roster_live(request: Request, token: str) -> Response:
    """The lists alone, for the page to refresh itself with."""
    edition, people = await _roster(request, token)
    return page(request, "staff/_roster_lists.html", edition=edition, roster=people, kinds=MAIL_KINDS,
                states=MAIL_STATES)


@signed_in
async def cancel_for(request: Request, token: str) -> Response:
    """Cancel a registration on the person's behalf; the first in line moves up."""
    edition_id, registration_id = request.path_params["edition_id"], request.path_params["registration_id"]
    form = await checked_form(request)
    if form is None:
        return refused_form(request)
    await web_of(request).gateway.delete(f"/v1/registrations/{registration_id}", token)
    name = form.get("name") or ""
    _ = texts(request)
    flash(request, _("The registration of %(name)s is being cancelled.") % {"name": name})
    return see_other(f"/staff/editions/{edition_id}/roster")


@signed_in
async def person(request: Request, token: str) -> Response:
    """One person's standing and every mail they got about the edition."""
    registration_id = str(request.path_params["registration_id"])
    edition, people = await _roster(request, token)
    mails = await web_of(request).gateway.get(f"/v1/registrations/{registration_id}/mails", token)
    entry = entry_of(people, registration_id)
    if entry is None:
        return Response(status_code=404)
    return page(request, "staff/person.html", edition=edition, person=entry, mails=mails, kinds=MAIL_KINDS,
                states=MAIL_STATES, statuses=STATUSES)


def entry_of(people: dict[str, Any], registration_id: str) -> dict[str, Any] | None:
    """One registration's entry in a roster, whatever its standing."""
    everyone = [*people["confirmed"], *people["waiting"], *people["cancelled"]]
    return next((p for p in everyone if p["registration_id"] == registration_id), None)


@signed_in
async def roster_export(request: Request, token: str) -> Response:
    """The lists as CSV or XLSX."""
    edition, people = await _roster(request, token)
    table = _roster_table(people, texts(request), edition["timezone"])
    return download(request, table, [table], f"roster-{edition['edition_id']}")


def _roster_table(people: dict[str, Any], _: Any, zone: str) -> Table:
    header = [_("Status"), _("Place in line"), _("Name"), _("E-mail"), _("Language"), _("Since"), _("Last mail")]
    rows = []
    for status in ("confirmed", "waiting", "cancelled"):
        for entry in people[status]:
            mails = entry.get("mails") or []
            last = f"{_(MAIL_KINDS.get(mails[-1]['kind'], mails[-1]['kind']))}: {_(MAIL_STATES[mails[-1]['state']])}" \
                if mails else ""
            rows.append([_(STATUSES[status]), entry.get("waiting_position") or "", entry.get("name") or "",
                         entry.get("email") or "", entry.get("language") or "", entry.get("since") or "", last])
    return _("Roster"), header, rows


def download(request: Request, csv_table: Table, tables: list[Table], name: str) -> Response:
    """One table as CSV, or every table as a sheet of an XLSX workbook, as the address asks."""
    if request.path_params["format"] not in ("csv", "xlsx"):
        return Response(status_code=404)
    if request.path_params["format"] == "csv":
        return Response(as_csv(csv_table), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})
    return Response(as_xlsx(tables), media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f'attachment; filename="{name}.xlsx"'})


ROUTES = [
    Route("/staff/editions/{edition_id:uuid}/roster", roster, methods=["GET"]),
    Route("/staff/editions/{edition_id:uuid}/roster/live", roster_live, methods=["GET"]),
    Route("/staff/editions/{edition_id:uuid}/roster.{format:str}", roster_export, methods=["GET"]),
    Route("/staff/editions/{edition_id:uuid}/people/{registration_id:uuid}", person, methods=["GET"]),
    Route("/staff/editions/{edition_id:uuid}/people/{registration_id:uuid}/cancel", cancel_for, methods=["POST"]),
]
