"""A programme's homework: the organiser sets it, trainers review the teams' versions, staff read the grid."""

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Path
from fastapi.responses import JSONResponse

from koos_gateway.entrypoints.http.deps import CallerDep, CorrelationDep, PortsDep
from koos_gateway.entrypoints.http.responses import accepted
from koos_gateway.entrypoints.http.schemas.commands import CommandPublic
from koos_gateway.entrypoints.http.schemas.errors import error_responses
from koos_gateway.entrypoints.http.schemas.homework import HomeworkDefine, HomeworkGridPublic, HomeworkReview
from koos_gateway.service_layer import homework

router = APIRouter(tags=["homework"])

_PENDING: dict[int | str, dict[str, Any]] = {
    202: {"model": CommandPublic, "description": "Not decided yet; poll the Location."}}
KEY = Path(pattern=r"^[a-z0-9][a-z0-9_-]{0,39}$")


@router.put("/v1/programmes/{programme_id}/homework/{homework_key}", response_model=HomeworkGridPublic,
            responses={**_PENDING, **error_responses(401, 403, 404, 409, 422, 503)})
async def set_homework(programme_id: UUID, body: HomeworkDefine, caller: CallerDep, ports: PortsDep,
                       correlation_id: CorrelationDep, homework_key: str = KEY) -> HomeworkGridPublic | JSONResponse:
    """Set a homework for every accepted team (organiser), or change its title or due time; a team accepted later
    gets it too."""
    record = await homework.set_homework(body.command(programme_id, homework_key), caller, correlation_id, ports)
    if not record.is_settled:
        return accepted(record)
    return HomeworkGridPublic.of(await homework.grid(str(programme_id), caller, ports))


@router.post("/v1/programmes/{programme_id}/homework/{homework_key}/teams/{team_id}/reviews",
             response_model=HomeworkGridPublic, responses={**_PENDING, **error_responses(401, 403, 404, 409, 422, 503)})
async def review(programme_id: UUID, team_id: UUID, body: HomeworkReview, caller: CallerDep, ports: PortsDep,
                 correlation_id: CorrelationDep, homework_key: str = KEY) -> HomeworkGridPublic | JSONResponse:
    """Accept a team's version, or ask for changes with comments (trainer or organiser); only the newest version
    waiting for review can be reviewed (409 otherwise)."""
    record = await homework.review(body.command(programme_id, homework_key, team_id), caller, correlation_id, ports)
    if not record.is_settled:
        return accepted(record)
    return HomeworkGridPublic.of(await homework.grid(str(programme_id), caller, ports))


@router.get("/v1/programmes/{programme_id}/homework", response_model=HomeworkGridPublic,
            responses=error_responses(401, 403, 404))
async def homework_grid(programme_id: UUID, caller: CallerDep, ports: PortsDep) -> HomeworkGridPublic:
    """The programme's homework with every team's standing and versions, and the grid team → homework → status."""
    return HomeworkGridPublic.of(await homework.grid(str(programme_id), caller, ports))
