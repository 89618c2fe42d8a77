"""An organiser marks a session held (or closes the course early); anyone on the staff reads how far it got."""

from koos_contracts.scheduling import MarkSessionHeld
from koos_gateway.domain.access import ORGANISER, Caller
from koos_gateway.domain.errors import NotFound, Refused
from koos_gateway.domain.ledgers import EditionProgress
from koos_gateway.service_layer import commands
from koos_gateway.service_layer.editions import EditionAnswer, visible_edition
from koos_gateway.service_layer.unit import Ports


async def mark_held(command: MarkSessionHeld, caller: Caller, correlation_id: str, ports: Ports) -> EditionAnswer:
    """Ask scheduling to end a session now; wait a while for its answer (refused with scheduling's reason)."""
    caller.require(ORGANISER)
    edition = await visible_edition(str(command.edition_id), caller, ports)
    if edition.session(command.session_id) is None:
        raise NotFound(f"edition has no session {command.session_id}")
    record = await commands.send(command, caller, correlation_id, f"/v1/editions/{edition.edition_id}", ports)
    record = await commands.outcome(record, ports.policy.command_wait_seconds, ports)
    if record.status == "refused":
        raise Refused(record.reason or "refused", code="schedule_change_refused")
    settled = await ports.editions.get(edition.edition_id) if record.status == "succeeded" else None
    return EditionAnswer(record, settled)


async def progress(edition_id: str, caller: Caller, ports: Ports) -> EditionProgress:
    """Which sessions were held, and whether the course is over (then its survey opens)."""
    caller.require_staff_or_partner()
    await visible_edition(edition_id, caller, ports)
    return await ports.ledgers.progress.get(edition_id)
