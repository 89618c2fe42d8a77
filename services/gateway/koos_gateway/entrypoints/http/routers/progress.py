"""Marking sessions held, so the survey need not wait for the clock; and how far an edition got."""

from uuid import UUID

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse

from koos_contracts.scheduling import MarkSessionHeld
from koos_gateway.entrypoints.http.deps import CallerDep, CorrelationDep, PortsDep
from koos_gateway.entrypoints.http.routers.editions import edition_answer
from koos_gateway.entrypoints.http.routers.sessions import SessionId
from koos_gateway.entrypoints.http.schemas.commands import CommandPublic
from koos_gateway.entrypoints.http.schemas.editions import EditionDetail
from koos_gateway.entrypoints.http.schemas.errors import error_responses
from koos_gateway.entrypoints.http.schemas.ledgers import ProgressPublic, SessionHeld
from koos_gateway.service_layer import sessions_held

router = APIRouter(prefix="/v1/editions/{edition_id}", tags=["sessions"])


@router.post("/sessions/{session_id}/held", response_model=EditionDetail,
             responses={202: {"model": CommandPublic, "description": "Not decided yet; poll the Location."},
                        **error_responses(401, 403, 404, 422, 503)})
async def mark_session_held(edition_id: UUID, session_id: SessionId, caller: CallerDep, ports: PortsDep,
                            correlation_id: CorrelationDep, response: Response,
                            body: SessionHeld | None = None) -> EditionDetail | JSONResponse:
    """End a session now (from a day before it starts); the last one opens the survey. Organisers only."""
    command = MarkSessionHeld(edition_id=edition_id, session_id=session_id,
                              closes_edition=body.closes_edition if body else False)
    answer = await sessions_held.mark_held(command, caller, correlation_id, ports)
    return await edition_answer(answer, ports, response, created=False)


@router.get("/progress", response_model=ProgressPublic, responses=error_responses(401, 403, 404))
async def edition_progress(edition_id: UUID, caller: CallerDep, ports: PortsDep) -> ProgressPublic:
    """Sessions held so far and whether the course is over (staff and partners)."""
    return ProgressPublic.of(await sessions_held.progress(str(edition_id), caller, ports))
