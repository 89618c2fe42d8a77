"""Programmes that recruit teams: the organiser's rule and decisions, the team lead's application."""

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse

from koos_gateway.entrypoints.http.deps import CallerDep, CorrelationDep, PortsDep, signup_rate_limit
from koos_gateway.entrypoints.http.responses import accepted
from koos_gateway.entrypoints.http.schemas.commands import CommandPublic
from koos_gateway.entrypoints.http.schemas.errors import error_responses
from koos_gateway.entrypoints.http.schemas.teams import (
    MemberReplacement,
    TeamApplication,
    TeamApplicationAnswer,
    TeamDecisionBody,
    TeamProgrammeDefine,
    TeamProgrammePublic,
    TeamPublic,
)
from koos_gateway.service_layer import teams
from koos_gateway.service_layer.teams import TeamAnswer

router = APIRouter(tags=["teams"])

_PENDING: dict[int | str, dict[str, Any]] = {
    202: {"model": CommandPublic, "description": "Not decided yet; poll the Location."}}


@router.put("/v1/programmes/{programme_id}/team-rule", response_model=TeamProgrammePublic,
            responses={**_PENDING, **error_responses(401, 403, 404, 409, 422, 503)})
async def define_programme(programme_id: UUID, body: TeamProgrammeDefine, caller: CallerDep, ports: PortsDep,
                           correlation_id: CorrelationDep) -> TeamProgrammePublic | JSONResponse:
    """Open a programme to team applications with its places and composition rule (organiser), or change them."""
    answer = await teams.define(body.command(programme_id), caller, correlation_id, ports)
    return TeamProgrammePublic.of(answer.programme) if answer.programme else accepted(answer.command)


@router.get("/v1/programmes/{programme_id}/teams", response_model=TeamProgrammePublic,
            responses=error_responses(401, 403, 404))
async def list_teams(programme_id: UUID, caller: CallerDep, ports: PortsDep) -> TeamProgrammePublic:
    """The programme's teams with their status, members and warnings (staff)."""
    return TeamProgrammePublic.of(await teams.visible_programme(str(programme_id), caller, ports))


@router.post("/v1/public/programmes/{programme_id}/teams", status_code=201, response_model=TeamApplicationAnswer,
             dependencies=[Depends(signup_rate_limit)],
             responses={**_PENDING, **error_responses(404, 409, 422, 429, 503)})
async def apply_with_team(programme_id: UUID, body: TeamApplication, ports: PortsDep, correlation_id: CorrelationDep,
                          ) -> TeamApplicationAnswer | JSONResponse:
    """A team lead applies with the team; a team that breaks a required rule is refused with each broken rule in
    `details` (422); a missing recommended member is a warning. Every member is mailed in their language."""
    answer = await teams.apply_publicly(body.command(programme_id, teams.new_team_id()), correlation_id, ports)
    if answer.team is None:
        return accepted(answer.command)
    return TeamApplicationAnswer(team_id=answer.team.team_id, status=answer.team.status,
                                 warnings=list(answer.team.warnings))


@router.post("/v1/programmes/{programme_id}/teams/{team_id}/decision", response_model=TeamPublic,
             responses={**_PENDING, **error_responses(401, 403, 404, 409, 503)})
async def decide_on_team(programme_id: UUID, team_id: UUID, body: TeamDecisionBody, caller: CallerDep,
                         ports: PortsDep, correlation_id: CorrelationDep) -> TeamPublic | JSONResponse:
    """Accept a team while places are left, let it wait, or decline it (organiser); its members are told."""
    answer = await teams.decide(body.command(programme_id, team_id), caller, correlation_id, ports)
    return _team_answer(answer)


@router.post("/v1/programmes/{programme_id}/teams/{team_id}/replace-member", response_model=TeamPublic,
             responses={**_PENDING, **error_responses(401, 403, 404, 409, 422, 503)})
async def replace_member(programme_id: UUID, team_id: UUID, body: MemberReplacement, caller: CallerDep,
                         ports: PortsDep, correlation_id: CorrelationDep) -> TeamPublic | JSONResponse:
    """Replace a member who leaves; the team must still meet the rule (organiser)."""
    answer = await teams.replace_member(body.command(programme_id, team_id), caller, correlation_id, ports)
    return _team_answer(answer)


def _team_answer(answer: TeamAnswer) -> TeamPublic | JSONResponse:
    return TeamPublic.of(answer.team) if answer.team else accepted(answer.command)


