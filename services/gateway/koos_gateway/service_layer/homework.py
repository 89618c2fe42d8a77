"""Use cases about homework: the organiser sets it for a programme's teams, a trainer reviews a team's version,
staff read the grid; and the projection of evaluation's homework facts that answers them."""

from koos_contracts import Envelope
from koos_contracts import homework as messages
from koos_gateway.domain.access import ORGANISER, TRAINER, Caller
from koos_gateway.domain.commands import CommandRecord
from koos_gateway.domain.errors import Conflict, NotFound, Refused
from koos_gateway.domain.homework import HomeworkGrid
from koos_gateway.service_layer import commands
from koos_gateway.service_layer.outcomes import settle
from koos_gateway.service_layer.ports import HomeworkReadModel
from koos_gateway.service_layer.unit import Ports

INVALID = ("too_large", "changes_unsaid")
"""Refusals of what the request says (422); the others are about the state it meets (409)."""


async def set_homework(command: messages.SetHomework, caller: Caller, correlation_id: str,
                       ports: Ports) -> CommandRecord:
    """An organiser sets a homework (or changes it) for the programme's teams."""
    caller.require(ORGANISER)
    await _programme_of(str(command.programme_id), caller, ports)
    return await _send(command, caller, correlation_id, ports)


async def review(command: messages.ReviewHomework, caller: Caller, correlation_id: str, ports: Ports) -> CommandRecord:
    """A trainer (or the organiser) accepts a team's version or asks for changes."""
    caller.require(TRAINER, ORGANISER)
    await _programme_of(str(command.programme_id), caller, ports)
    return await _send(command.model_copy(update={"reviewer_id": caller.subject}), caller, correlation_id, ports)


async def grid(programme_id: str, caller: Caller, ports: Ports) -> HomeworkGrid:
    """The programme's homework, team by team (staff of its organisation)."""
    caller.require(ORGANISER, TRAINER)
    programme = await _programme_of(programme_id, caller, ports)
    return await homework_of(ports).get(programme_id) or HomeworkGrid(programme_id, programme)


async def _programme_of(programme_id: str, caller: Caller, ports: Ports) -> str:
    programme = await ports.teams.get(programme_id)
    if programme is None or not caller.belongs_to(programme.organisation_id):
        raise NotFound("no such programme with teams")
    return programme.organisation_id


async def _send(command: messages.SetHomework | messages.ReviewHomework, caller: Caller, correlation_id: str,
                ports: Ports) -> CommandRecord:
    resource = f"/v1/programmes/{command.programme_id}/homework"
    record = await commands.send(command, caller, correlation_id, resource, ports)
    record = await commands.outcome(record, ports.policy.command_wait_seconds, ports)
    if record.status == "refused":
        error = Refused if record.reason_code in INVALID else Conflict
        raise error(record.reason or "refused", code=record.reason_code or "refused")
    return record


async def homework_changed(event: messages.HomeworkSet | messages.HomeworkSubmitted | messages.HomeworkReviewed,
                           envelope: Envelope, ports: Ports) -> None:
    """Evaluation set a homework, or a team's work on it changed: the grid shows it, the request learns it."""
    store = homework_of(ports)
    grid = await store.get(str(event.programme_id)) or HomeworkGrid(str(event.programme_id), envelope.organisationid)
    match event:
        case messages.HomeworkSet():
            grid.set(event)
        case messages.HomeworkSubmitted():
            grid.submitted(event)
        case _:
            grid.reviewed(event)
    await store.save(grid, envelope.id)
    await settle(envelope, event, ports)


def homework_of(ports: Ports) -> HomeworkReadModel:
    if ports.homework is None:
        raise RuntimeError("the gateway was started without its homework read model")
    return ports.homework
