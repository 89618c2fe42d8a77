"""Changing the sessions of an edition: reschedule or cancel (organisers)."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Path, Response
from fastapi.responses import JSONResponse

from koos_contracts.scheduling import CancelSession, RescheduleSession
from koos_gateway.entrypoints.http.deps import CallerDep, CorrelationDep, PortsDep
from koos_gateway.entrypoints.http.routers.editions import edition_answer
from koos_gateway.entrypoints.http.schemas.commands import CommandPublic
from koos_gateway.entrypoints.http.schemas.editions import EditionDetail, SessionCancellation, SessionReschedule
from koos_gateway.entrypoints.http.schemas.errors import error_responses
from koos_gateway.service_layer import editions

SessionId = Annotated[str, Path(pattern=r"^[a-z0-9][a-z0-9-]{0,39}$", description="The session's slug.")]

router = APIRouter(prefix="/v1/editions/{edition_id}/sessions/{session_id}", tags=["sessions"])

_RESPONSES = {202: {"model": CommandPublic, "description": "Not decided yet; poll the Location."},
              **error_responses(401, 403, 404, 422, 503)}


@router.post("/reschedule", response_model=EditionDetail, responses=_RESPONSES)
async def reschedule_session(edition_id: UUID, session_id: SessionId, body: SessionReschedule, caller: CallerDep,
                             ports: PortsDep, correlation_id: CorrelationDep,
                             response: Response) -> EditionDetail | JSONResponse:
    """Move a session; every confirmed participant is told, and the calendar feeds change."""
    command = RescheduleSession(edition_id=edition_id, session_id=session_id, date=body.date,
                                start=body.start, end=body.end, venue=body.venue)
    answer = await editions.reschedule(command, caller, correlation_id, ports)
    return await edition_answer(answer, ports, response, created=False)


@router.post("/cancel", response_model=EditionDetail, responses=_RESPONSES)
async def cancel_session(edition_id: UUID, session_id: SessionId, caller: CallerDep, ports: PortsDep,
                         correlation_id: CorrelationDep, response: Response,
                         body: SessionCancellation | None = None) -> EditionDetail | JSONResponse:
    """Cancel a session; it stays in the feeds marked cancelled."""
    reason = body.reason if body else None
    command = CancelSession(edition_id=edition_id, session_id=session_id, reason=reason)
    answer = await editions.cancel_session(command, caller, correlation_id, ports)
    return await edition_answer(answer, ports, response, created=False)

