"""Handlers of programmes: draft one with its phases and outside dates, move it through its lifecycle."""

from dataclasses import dataclass

from koos_contracts import Envelope
from koos_contracts.programmes import AdvanceProgramme, DraftProgramme, ProgrammeRefused
from koos_kit.events import EventFactory
from koos_kit.logging import get_logger
from koos_kit.ports import Replies
from koos_scheduling.domain.errors import ScheduleRefused
from koos_scheduling.domain.programme import Programme
from koos_scheduling.service_layer.ports import ProgrammeRepository

log = get_logger("koos.scheduling.programmes")


@dataclass(frozen=True)
class ProgrammePorts:
    """Everything the programme handlers may touch."""

    programmes: ProgrammeRepository
    replies: Replies
    factory: EventFactory


async def draft_programme(command: DraftProgramme, envelope: Envelope, ports: ProgrammePorts) -> None:
    """Draft a programme; drafting the same id again is refused."""
    existing = await ports.programmes.get(str(command.programme_id))
    if existing is not None:
        if not existing.has_applied(envelope.id):
            await _refuse(command.programme_id, "a programme with this id exists already", envelope, ports)
        return
    try:
        programme = Programme.draft(command, envelope.organisationid)
    except ScheduleRefused as refusal:
        await _refuse(command.programme_id, refusal.reason, envelope, ports)
        return
    await _save(programme, envelope, ports)


async def advance_programme(command: AdvanceProgramme, envelope: Envelope, ports: ProgrammePorts) -> None:
    """Move a programme on to its next stage, or say why not."""
    programme = await ports.programmes.get(str(command.programme_id))
    if programme is not None and programme.has_applied(envelope.id):
        return
    if programme is None or programme.organisation_id != envelope.organisationid:
        await _refuse(command.programme_id, "no such programme", envelope, ports)
        return
    try:
        programme.advance(command.to)
    except ScheduleRefused as refusal:
        await _refuse(command.programme_id, refusal.reason, envelope, ports, programme.stage)
        return
    await _save(programme, envelope, ports)


async def _save(programme: Programme, envelope: Envelope, ports: ProgrammePorts) -> None:
    programme.note(envelope.id)
    events, programme.events = programme.events, []
    await ports.programmes.save(programme, ports.factory.caused_by(envelope, events))
    log.info("programme changed", programme_id=programme.programme_id, stage=programme.stage)


async def _refuse(programme_id: object, reason: str, envelope: Envelope, ports: ProgrammePorts,
                  stage: str | None = None) -> None:
    refusal = ProgrammeRefused.model_validate({"programme_id": programme_id, "reason": reason, "stage": stage})
    if await ports.replies.reply(envelope, ports.factory.caused_by(envelope, [refusal])):
        log.info("programme request refused")
