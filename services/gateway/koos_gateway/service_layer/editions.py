"""Use cases about editions: publishing, changing sessions, and reading them."""

import time
from dataclasses import dataclass

from koos_contracts.scheduling import CancelSession, PublishEdition, RescheduleSession
from koos_gateway.domain.access import ORGANISER, Caller
from koos_gateway.domain.commands import CommandRecord
from koos_gateway.domain.editions import EditionView
from koos_gateway.domain.errors import Conflict, NotFound, Refused, Unavailable
from koos_gateway.service_layer import commands
from koos_gateway.service_layer.unit import Ports


@dataclass(frozen=True)
class EditionAnswer:
    """A command about an edition and the edition as it stands once the command succeeded."""

    command: CommandRecord
    edition: EditionView | None


async def visible_edition(edition_id: str, caller: Caller, ports: Ports) -> EditionView:
    """An edition of the caller's organisation; another organisation's looks unknown."""
    edition = await ports.editions.get(edition_id)
    if edition is None or not caller.belongs_to(edition.organisation_id) or not caller.may_act_on_edition(edition_id):
        raise NotFound("no such edition")
    return edition


async def public_edition(edition_id: str, ports: Ports) -> EditionView:
    """A published edition, for anyone."""
    edition = await ports.editions.get(edition_id)
    if edition is None:
        raise NotFound("no such edition")
    return edition


async def registration_ready(edition: EditionView, ports: Ports, seconds: float | None = None) -> EditionView:
    """The edition once registration has opened its seats (it says so by counting them), waiting a little.

    Sign-ups are taken only then, so that registration never sees one before the edition itself and every
    person is decided in the order they came.
    """
    deadline = time.monotonic() + (ports.policy.opening_wait_seconds if seconds is None else seconds)
    while edition.seats is None:
        if time.monotonic() >= deadline:
            raise Unavailable("registration for this edition is opening; try again in a moment",
                              code="registration_opening")
        await ports.signal.wait(min(ports.policy.poll_seconds, max(0.0, deadline - time.monotonic())))
        edition = await ports.editions.get(edition.edition_id) or edition
    return edition


async def publish(command: PublishEdition, caller: Caller, correlation_id: str, ports: Ports) -> EditionAnswer:
    """Ask scheduling to publish an edition and wait a while for its answer."""
    caller.require(ORGANISER)
    edition_id = str(command.edition_id)
    if await ports.editions.get(edition_id) is not None:
        raise Conflict("an edition with this id is published already", code="edition_exists")
    record = await commands.send(command, caller, correlation_id, f"/v1/editions/{edition_id}", ports)
    return await _answer(record, edition_id, "edition_refused", ports)


async def reschedule(command: RescheduleSession, caller: Caller, correlation_id: str, ports: Ports) -> EditionAnswer:
    """Ask scheduling to move a session of one of the caller's editions."""
    return await _change_session(command, caller, correlation_id, ports)


async def cancel_session(command: CancelSession, caller: Caller, correlation_id: str, ports: Ports) -> EditionAnswer:
    """Ask scheduling to cancel a session of one of the caller's editions."""
    return await _change_session(command, caller, correlation_id, ports)


async def _change_session(command: RescheduleSession | CancelSession, caller: Caller, correlation_id: str,
                          ports: Ports) -> EditionAnswer:
    caller.require(ORGANISER)
    edition = await visible_edition(str(command.edition_id), caller, ports)
    if edition.session(command.session_id) is None:
        raise NotFound(f"edition has no session {command.session_id}")
    resource = f"/v1/editions/{edition.edition_id}"
    record = await commands.send(command, caller, correlation_id, resource, ports)
    return await _answer(record, edition.edition_id, "schedule_change_refused", ports)


async def _answer(record: CommandRecord, edition_id: str, refusal_code: str, ports: Ports) -> EditionAnswer:
    record = await commands.outcome(record, ports.policy.command_wait_seconds, ports)
    if record.status == "refused":
        raise Refused(record.reason or "refused", code=refusal_code)
    edition = await ports.editions.get(edition_id) if record.status == "succeeded" else None
    if edition is not None and refusal_code == "edition_refused":
        edition = await _with_registration_open(edition, ports)
    return EditionAnswer(record, edition)


async def _with_registration_open(edition: EditionView, ports: Ports) -> EditionView:
    """A just published edition as soon as registration has opened it too (a bounded wait; else as it is)."""
    try:
        return await registration_ready(edition, ports, ports.policy.command_wait_seconds)
    except Unavailable:
        return edition

