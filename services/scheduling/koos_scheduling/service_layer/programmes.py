"""Handlers of programmes: draft one with its phases and outside dates, move it through its lifecycle."""

from collections.abc import Callable
from dataclasses import dataclass

from koos_contracts import Envelope
from koos_contracts.programmes import AdvanceProgramme, DateWorkshop, DraftProgramme, PlanWorkshops, ProgrammeRefused
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
    await _change(command.programme_id, envelope, ports, lambda programme: programme.advance(command.to))


async def plan_workshops(command: PlanWorkshops, envelope: Envelope, ports: ProgrammePorts) -> None:
    """Set a programme's workshops."""
    await _change(command.programme_id, envelope, ports,
                  lambda programme: programme.plan_workshops(command.workshops))


async def date_workshop(command: DateWorkshop, envelope: Envelope, ports: ProgrammePorts) -> None:
    """Give a workshop that was to be set its day."""
    await _change(command.programme_id, envelope, ports,
                  lambda programme: programme.date_workshop(command.workshop_key, command.day))


async def _change(programme_id: object, envelope: Envelope, ports: ProgrammePorts,
                  change: Callable[[Programme], None]) -> None:
    programme = await ports.programmes.get(str(programme_id))
    if programme is not None and programme.has_applied(envelope.id):
        return
    if programme is None or programme.organisation_id != envelope.organisationid:
        await _refuse(programme_id, "no such programme", envelope, ports)
        return
    try:
        change(programme)
    except ScheduleRefused as refusal:
        await _refuse(programme_id, refusal.reason, envelope, ports, programme.stage)
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
