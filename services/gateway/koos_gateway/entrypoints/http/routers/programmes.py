"""Programmes: drafted with phases and outside dates, moved through their lifecycle by organisers."""

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Path, Query, Response
from fastapi.responses import JSONResponse

from koos_contracts.programmes import AdvanceProgramme, DateWorkshop, DraftProgramme, PlanWorkshops, Stage
from koos_contracts.values import Language
from koos_gateway.entrypoints.http.deps import CallerDep, CorrelationDep, PortsDep
from koos_gateway.entrypoints.http.responses import CALENDAR_RESPONSE, accepted, calendar_response
from koos_gateway.entrypoints.http.schemas.commands import CommandPublic
from koos_gateway.entrypoints.http.schemas.errors import error_responses
from koos_gateway.entrypoints.http.schemas.programmes import ProgrammePublic, StageChange, WorkshopDay, WorkshopsBody
from koos_gateway.service_layer import programmes

router = APIRouter(tags=["programmes"])

_PENDING: dict[int | str, dict[str, Any]] = {
    202: {"model": CommandPublic, "description": "Not decided yet; poll the Location."}}


@router.post("/v1/programmes", status_code=201, response_model=ProgrammePublic,
             responses={**_PENDING, **error_responses(401, 403, 422, 503)})
async def draft_programme(body: DraftProgramme, caller: CallerDep, ports: PortsDep, correlation_id: CorrelationDep,
                          response: Response) -> ProgrammePublic | JSONResponse:
    """Draft a programme with its phases (names, dates, goals) and outside dates (organiser)."""
    answer = await programmes.draft(body, caller, correlation_id, ports)
    if answer.programme is None:
        return accepted(answer.command)
    response.headers["Location"] = f"/v1/programmes/{answer.programme.programme_id}"
    return ProgrammePublic.of(answer.programme)


@router.get("/v1/programmes/{programme_id}", response_model=ProgrammePublic, responses=error_responses(401, 403, 404))
async def get_programme(programme_id: UUID, caller: CallerDep, ports: PortsDep) -> ProgrammePublic:
    """A programme, its stage and the stage it may move on to (staff)."""
    return ProgrammePublic.of(await programmes.visible_programme(str(programme_id), caller, ports))


@router.post("/v1/programmes/{programme_id}/stage", response_model=ProgrammePublic,
             responses={**_PENDING, **error_responses(401, 403, 404, 422, 503)})
async def advance_programme(programme_id: UUID, body: StageChange, caller: CallerDep, ports: PortsDep,
                            correlation_id: CorrelationDep) -> ProgrammePublic | JSONResponse:
    """Move the programme on to its next stage; a step out of order is refused with the reason (422)."""
    to: Stage = body.to
    answer = await programmes.advance(AdvanceProgramme(programme_id=programme_id, to=to), caller, correlation_id,
                                      ports)
    return ProgrammePublic.of(answer.programme) if answer.programme else accepted(answer.command)


@router.put("/v1/programmes/{programme_id}/workshops", response_model=ProgrammePublic,
            responses={**_PENDING, **error_responses(401, 403, 404, 422, 503)})
async def plan_workshops(programme_id: UUID, body: WorkshopsBody, caller: CallerDep, ports: PortsDep,
                         correlation_id: CorrelationDep) -> ProgrammePublic | JSONResponse:
    """Set the programme's workshops with their blocks; those without a day are "to be set" (organiser)."""
    command = PlanWorkshops(programme_id=programme_id, workshops=tuple(body.workshops))
    answer = await programmes.plan_workshops(command, caller, correlation_id, ports)
    return ProgrammePublic.of(answer.programme) if answer.programme else accepted(answer.command)


@router.post("/v1/programmes/{programme_id}/workshops/{workshop_key}/day", response_model=ProgrammePublic,
             responses={**_PENDING, **error_responses(401, 403, 404, 422, 503)})
async def date_workshop(programme_id: UUID, workshop_key: Annotated[str, Path(pattern=r"^[a-z0-9][a-z0-9-]{0,39}$")],
                        body: WorkshopDay, caller: CallerDep, ports: PortsDep,
                        correlation_id: CorrelationDep) -> ProgrammePublic | JSONResponse:
    """Give a workshop its day; every member of an accepted team is told, with a calendar entry (organiser)."""
    command = DateWorkshop(programme_id=programme_id, workshop_key=workshop_key, day=body.day)
    answer = await programmes.plan_workshops(command, caller, correlation_id, ports)
    return ProgrammePublic.of(answer.programme) if answer.programme else accepted(answer.command)


@router.get("/v1/programmes/{programme_id}/calendar.ics", response_class=Response, tags=["calendars"],
            responses={**CALENDAR_RESPONSE, **error_responses(404)})
async def programme_calendar(programme_id: UUID, ports: PortsDep,
                             lang: Annotated[Language | None, Query(description="Language of titles.")] = None,
                             ) -> Response:
    """The programme's phases and outside dates (the funding round closing, say) as an iCalendar feed."""
    document = await programmes.feed(str(programme_id), lang, ports)
    return calendar_response(document, f"{programme_id}.ics")
