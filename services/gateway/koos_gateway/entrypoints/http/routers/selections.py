"""Institutions apply; organisers admit, run the jury and release the selection; jurors score."""

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Response

from koos_contracts import jury
from koos_contracts.base import Command
from koos_gateway.domain.errors import NotFound
from koos_gateway.entrypoints.http.deps import CallerDep, CorrelationDep, PortsDep, WaitQuery
from koos_gateway.entrypoints.http.schemas.errors import error_responses
from koos_gateway.entrypoints.http.schemas.selections import (
    CommandAnswer,
    Decision,
    InstitutionApplication,
    JuryDefinition,
    Member,
    MilestoneReport,
    ScoreSheet,
)
from koos_gateway.service_layer import selections

router = APIRouter(tags=["selection"])
JURY = "/v1/editions/{edition_id}/jury"
ANSWERS = {201: {"model": CommandAnswer, "description": "Done (when waiting)."},
           **error_responses(401, 403, 404, 422, 503)}


def _answer(answer: CommandAnswer, response: Response) -> CommandAnswer:
    response.status_code = 201 if answer.status == "done" else 202
    return answer


@router.post("/v1/public/editions/{edition_id}/applications", status_code=202, response_model=CommandAnswer,
             responses=ANSWERS)
async def apply(edition_id: UUID, body: InstitutionApplication, ports: PortsDep, correlation_id: CorrelationDep,
                response: Response, wait: WaitQuery = 0) -> CommandAnswer:
    """An institution applies while the edition's window is open; one application per institution."""
    application_id, record = await selections.apply(str(edition_id), body.command_fields(), correlation_id, wait,
                                                     ports)
    return _answer(CommandAnswer.of(record, application_id), response)


@router.get("/v1/editions/{edition_id}/applications", responses=error_responses(401, 403, 404))
async def list_applications(edition_id: UUID, caller: CallerDep, ports: PortsDep) -> list[dict[str, Any]]:
    """The applications in the order they came, with contact people, staff, motivation and status."""
    return await selections.applications(str(edition_id), caller, ports)


@router.post("/v1/editions/{edition_id}/applications/{application_id}/decision", status_code=202,
             response_model=CommandAnswer, responses=ANSWERS)
async def decide(edition_id: UUID, application_id: UUID, body: Decision, caller: CallerDep, ports: PortsDep,
                 correlation_id: CorrelationDep, response: Response, wait: WaitQuery = 0) -> CommandAnswer:
    """Admit or decline an application once the window has closed (the stage gate)."""
    record = await selections.decide(str(edition_id), str(application_id), body.admit, caller, correlation_id,
                                     wait, ports)
    return _answer(CommandAnswer.of(record), response)


async def _organise(edition_id: UUID, command: Command, caller: CallerDep, ports: PortsDep, correlation_id: str,
                    response: Response, wait: float) -> CommandAnswer:
    record = await selections.organise(str(edition_id), command, caller, correlation_id, wait, ports)
    return _answer(CommandAnswer.of(record), response)


@router.put(JURY, status_code=202, response_model=CommandAnswer, responses=ANSWERS)
async def define_jury(edition_id: UUID, body: JuryDefinition, caller: CallerDep, ports: PortsDep,
                      correlation_id: CorrelationDep, response: Response, wait: WaitQuery = 0) -> CommandAnswer:
    """The rubric per artefact and the tie-break rules; refused once scoring started."""
    command = jury.DefineJury(edition_id=edition_id, **body.model_dump())
    return await _organise(edition_id, command, caller, ports, correlation_id, response, wait)


@router.post(JURY + "/jurors", status_code=202, response_model=CommandAnswer, responses=ANSWERS)
async def appoint_juror(edition_id: UUID, body: Member, caller: CallerDep, ports: PortsDep,
                        correlation_id: CorrelationDep, response: Response, wait: WaitQuery = 0) -> CommandAnswer:
    """A juror with the organisations they belong to, declared conflicts and a load limit."""
    return await _organise(edition_id, body.juror(edition_id), caller, ports, correlation_id, response, wait)


@router.post(JURY + "/mentors", status_code=202, response_model=CommandAnswer, responses=ANSWERS)
async def appoint_mentor(edition_id: UUID, body: Member, caller: CallerDep, ports: PortsDep,
                         correlation_id: CorrelationDep, response: Response, wait: WaitQuery = 0) -> CommandAnswer:
    """A mentor for the mentoring phase, with their organisations, conflicts and capacity."""
    return await _organise(edition_id, body.mentor(edition_id), caller, ports, correlation_id, response, wait)


STEPS: dict[str, type[Command]] = {"assignment": jury.AssignJury, "reminders": jury.RemindJurors,
                                   "close": jury.CloseScoring, "release": jury.ReleaseSelection}


@router.post(JURY + "/{step}", status_code=202, response_model=CommandAnswer, responses=ANSWERS)
async def step(edition_id: UUID, step: str, caller: CallerDep, ports: PortsDep, correlation_id: CorrelationDep,
               response: Response, wait: WaitQuery = 0) -> CommandAnswer:
    """`assignment` (solve who scores what), `reminders` (jurors with unfinished work only), `close` (propose
    the selection), `release` (tell applicants, start mentoring)."""
    if step not in STEPS:
        raise NotFound(f"no jury step {step}; one of {', '.join(STEPS)}")
    return await _organise(edition_id, STEPS[step](edition_id=edition_id), caller, ports, correlation_id, response,
                           wait)


@router.put(JURY + "/scores/{application_id}", status_code=202, response_model=CommandAnswer, responses=ANSWERS)
async def score(edition_id: UUID, application_id: UUID, body: ScoreSheet, caller: CallerDep, ports: PortsDep,
                correlation_id: CorrelationDep, response: Response, wait: WaitQuery = 0) -> CommandAnswer:
    """A juror scores each criterion with a comment; refused with the reason for a conflict of interest."""
    record = await selections.score(str(edition_id), str(application_id), body.scores, caller, correlation_id,
                                    wait, ports)
    return _answer(CommandAnswer.of(record), response)


@router.post("/v1/editions/{edition_id}/mentoring/{application_id}/milestones", status_code=202,
             response_model=CommandAnswer, responses=ANSWERS)
async def record_milestone(edition_id: UUID, application_id: UUID, body: MilestoneReport, caller: CallerDep,
                           ports: PortsDep, correlation_id: CorrelationDep, response: Response,
                           wait: WaitQuery = 0) -> CommandAnswer:
    """A mentor (or the organiser) records a selected institution's milestone with its report."""
    command = jury.RecordMilestone(edition_id=edition_id, application_id=application_id, milestone=body.milestone,
                                   report=jury.Comment(text=body.report))
    record = await selections.milestone(str(edition_id), command, caller, correlation_id, wait, ports)
    return _answer(CommandAnswer.of(record), response)


@router.get(JURY, responses=error_responses(401, 403, 404))
async def get_jury(edition_id: UUID, caller: CallerDep, ports: PortsDep) -> dict[str, Any]:
    """Organisers: rubric, assignment, proposal with figures and justification, release, mentoring.
    Jurors: the rubric and their own assignments. Applicants see nothing here."""
    return await selections.round_view(str(edition_id), caller, ports)
