"""Feedback results for organisers: response rate, a chart per question, means, quotes; the survey's preview."""

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from koos_web.charts import RATINGS, distribution_chart
from koos_web.context import page, texts, web_of
from koos_web.exports import Table
from koos_web.gateway import GatewayError
from koos_web.organisers import signed_in
from koos_web.rendering import language_of, localized
from koos_web.rosters import download


async def _results(request: Request, token: str) -> tuple[dict[str, Any], dict[str, Any] | None]:
    edition_id = request.path_params["edition_id"]
    gateway = web_of(request).gateway
    edition = await gateway.get(f"/v1/editions/{edition_id}", token)
    try:
        return edition, await gateway.get(f"/v1/editions/{edition_id}/feedback", token)
    except GatewayError as error:
        if error.status == 404:
            return edition, None
        raise


def question_texts(edition: dict[str, Any], language: str) -> dict[str, str]:
    """Each question's text in the reader's language, by its key (the key itself for evaluation's defaults)."""
    return {q["key"]: localized(q["text"], language) for q in edition.get("feedback_questions", [])}


@signed_in
async def results(request: Request, token: str) -> Response:
    edition, found = await _results(request, token)
    language, _ = language_of(request), texts(request)
    wording = question_texts(edition, language)
    charts = {}
    for question in (found or {}).get("questions", []):
        key = question["key"]
        counts = ", ".join(_("%(rating)s: %(count)s") % {"rating": r, "count": question["distribution"].get(r, 0)}
                           for r in RATINGS)
        charts[key] = distribution_chart(f"chart-{key}", wording.get(key, key),
                                         _("Number of answers per rating from 1 to 5: %(counts)s") % {"counts": counts},
                                         question["distribution"])
    return page(request, "staff/results.html", edition=edition, results=found, wording=wording, charts=charts,
                ratings=RATINGS)


@signed_in
async def results_export(request: Request, token: str) -> Response:
    edition, found = await _results(request, token)
    _ = texts(request)
    wording = question_texts(edition, language_of(request))
    questions = (found or {}).get("questions", [])
    header = [_("Question"), _("Text"), _("Answers"), _("Mean"), *RATINGS]
    rows = [[q["key"], wording.get(q["key"], ""), q["responses"], q["mean"] if q["mean"] is not None else "",
             *(q["distribution"].get(r, 0) for r in RATINGS)] for q in questions]
    table: Table = (_("Results"), header, rows)
    quotes: Table = (_("Quotes"), [_("Quote")], [[quote] for quote in (found or {}).get("quotes", [])])
    summary: Table = (_("Response rate"), [_("Invited"), _("Answers"), _("Response rate")],
                      [[(found or {}).get("invited", 0), (found or {}).get("responses", 0),
                        (found or {}).get("response_rate", 0.0)]])
    return download(request, table, [summary, table, quotes], f"results-{edition['edition_id']}")


@signed_in
async def survey_preview(request: Request, token: str) -> Response:
    """The survey as a participant will see it."""
    edition_id = request.path_params["edition_id"]
    edition = await web_of(request).gateway.get(f"/v1/editions/{edition_id}", token)
    survey = {"questions": edition.get("feedback_questions", []), "closes_at": None}
    return page(request, "participants/feedback.html", survey=survey, edition=edition, values={}, errors={},
                summary=[], preview=True)


ROUTES = [
    Route("/staff/editions/{edition_id:uuid}/results", results, methods=["GET"]),
    Route("/staff/editions/{edition_id:uuid}/results.{format:str}", results_export, methods=["GET"]),
    Route("/staff/editions/{edition_id:uuid}/survey", survey_preview, methods=["GET"]),
]
