"""Handlers of scheduling: small functions that receive their ports."""

from collections.abc import Callable
from dataclasses import dataclass
from uuid import UUID

from koos_contracts import Envelope
from koos_contracts.scheduling import (
    CancelSession,
    EditionPublicationRefused,
    EditionUnchanged,
    MarkSessionHeld,
    PublishEdition,
    RescheduleSession,
    ScheduleChangeRefused,
)
from koos_kit.clock import Clock
from koos_kit.events import EventFactory
from koos_kit.logging import get_logger
from koos_kit.ports import Replies
from koos_scheduling.domain.edition import Edition
from koos_scheduling.domain.errors import ScheduleRefused
from koos_scheduling.service_layer.ports import EditionRepository, MentoringPlans

log = get_logger("koos.scheduling")


@dataclass(frozen=True)
class Ports:
    """Everything a handler may touch."""

    editions: EditionRepository
    replies: Replies
    clock: Clock
    factory: EventFactory
    mentoring: MentoringPlans | None = None


async def publish_edition(command: PublishEdition, envelope: Envelope, ports: Ports) -> None:
    """Publish an edition, or say why not; publishing the same plan again is answered "unchanged"."""
    existing = await ports.editions.get(str(command.edition_id))
    if existing is not None:
        await _refuse_republication(existing, command, envelope, ports)
        return
    try:
        edition = Edition.publish(command, envelope.organisationid, envelope.id)
    except ScheduleRefused as refusal:
        await _reply(EditionPublicationRefused(edition_id=command.edition_id, reason=refusal.reason), envelope, ports)
        return
    if await ports.editions.add(edition, ports.factory.caused_by(envelope, edition.events)):
        log.info("edition published", edition_id=edition.edition_id, sessions=len(edition.sessions))


async def reschedule_session(command: RescheduleSession, envelope: Envelope, ports: Ports) -> None:
    """Move a session to another time or venue."""
    await _change(command.edition_id, command.session_id, envelope, ports,
                  lambda edition: edition.reschedule(command, ports.clock.now()))


async def cancel_session(command: CancelSession, envelope: Envelope, ports: Ports) -> None:
    """Cancel a session."""
    await _change(command.edition_id, command.session_id, envelope, ports,
                  lambda edition: edition.cancel_session(command, ports.clock.now()))


async def mark_session_held(command: MarkSessionHeld, envelope: Envelope, ports: Ports) -> None:
    """End a session on an organiser's word (and close the edition early, if asked)."""
    await _change(command.edition_id, command.session_id, envelope, ports,
                  lambda edition: edition.mark_held(command, ports.clock.now()))


async def end_sessions_due(ports: Ports) -> int:
    """Announce every session whose end has passed; return how many editions changed."""
    now = ports.clock.now()
    changed = 0
    for edition_id in await ports.editions.ending_by(now):
        edition = await ports.editions.get(edition_id)
        if edition is None:
            continue
        edition.end_sessions_due(now)
        if edition.events:
            occasion = f"sessions-ended:{edition_id}"
            envelopes = ports.factory.on_schedule(edition.organisation_id, occasion, edition.events)
            await ports.editions.save(edition, envelopes)
            changed += 1
    return changed


async def _change(edition_id: UUID, session_id: str, envelope: Envelope, ports: Ports,
                  change: Callable[[Edition], None]) -> None:
    edition = await ports.editions.get(str(edition_id))
    if edition is not None and edition.has_applied(envelope.id):
        return
    try:
        if edition is None or edition.organisation_id != envelope.organisationid:
            raise ScheduleRefused("no such edition")
        change(edition)
        edition.note(envelope.id)
    except ScheduleRefused as refusal:
        refused = ScheduleChangeRefused(edition_id=edition_id, session_id=session_id, reason=refusal.reason)
        await _reply(refused, envelope, ports)
        return
    await ports.editions.save(edition, ports.factory.caused_by(envelope, edition.events))


async def _refuse_republication(existing: Edition, command: PublishEdition, envelope: Envelope, ports: Ports) -> None:
    if existing.has_applied(envelope.id):
        return
    if existing.plan == command and existing.organisation_id == envelope.organisationid:
        await _reply(EditionUnchanged(edition_id=command.edition_id), envelope, ports)
        return
    refusal = EditionPublicationRefused(edition_id=command.edition_id,
                                        reason="an edition with this id is published already")
    await _reply(refusal, envelope, ports)


async def _reply(event: EditionPublicationRefused | ScheduleChangeRefused | EditionUnchanged, envelope: Envelope,
                 ports: Ports) -> None:
    """An outcome that changes no edition, through the replies' outbox: once per command."""
    if await ports.replies.reply(envelope, ports.factory.caused_by(envelope, [event])):
        log.info("request answered without a change", outcome=type(event).__name__)
