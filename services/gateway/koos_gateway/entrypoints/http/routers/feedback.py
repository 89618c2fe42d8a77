"""Feedback: participants answer the survey, organisers read the results."""

from uuid import UUID

from fastapi import APIRouter, Response

from koos_gateway.entrypoints.http.deps import CallerDep, CorrelationDep, PortsDep, WaitQuery
from koos_gateway.entrypoints.http.schemas.errors import error_responses
from koos_gateway.entrypoints.http.schemas.feedback import (
    FeedbackAccepted,
    FeedbackForm,
    FeedbackResults,
    FeedbackSubmission,
)
from koos_gateway.service_layer import feedback

router = APIRouter(prefix="/v1/editions/{edition_id}/feedback", tags=["feedback"])


@router.post("", status_code=202, response_model=FeedbackAccepted,
             responses={201: {"model": FeedbackAccepted, "description": "Recorded (when waiting)."},
                        **error_responses(401, 403, 404, 422, 503)})
async def submit_feedback(edition_id: UUID, body: FeedbackSubmission, caller: CallerDep, ports: PortsDep,
                          correlation_id: CorrelationDep, response: Response,
                          wait: WaitQuery = 0) -> FeedbackAccepted:
    """A participant's ratings (1-5 per question) and comment; answering twice is refused by evaluation."""
    record = await feedback.submit(str(edition_id), body.ratings, body.comment, caller, correlation_id, wait, ports)
    response.status_code = 201 if record.status == "succeeded" else 202
    return FeedbackAccepted.of(record)


@router.get("", response_model=FeedbackResults, responses=error_responses(401, 403, 404))
async def feedback_results(edition_id: UUID, caller: CallerDep, ports: PortsDep) -> FeedbackResults:
    """Response rate, mean and distribution per question, and quotes (organiser, trainer); 404 before any."""
    return FeedbackResults.of(await feedback.results(str(edition_id), caller, ports))


@router.get("/form", response_model=FeedbackForm, responses=error_responses(401, 403, 404))
async def feedback_form(edition_id: UUID, caller: CallerDep, ports: PortsDep) -> FeedbackForm:
    """The questions a participant answers (the mailed link carries the participant's token); 404 until open."""
    return FeedbackForm.of(await feedback.form(str(edition_id), caller, ports))
