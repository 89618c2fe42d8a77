"""Sending commands to the owning services and waiting, a bounded time, for their outcome."""

import time
from collections.abc import Awaitable, Callable

from koos_contracts import Command, wrap
from koos_gateway.domain.access import Caller
from koos_gateway.domain.commands import CommandRecord
from koos_gateway.domain.errors import NotFound
from koos_gateway.service_layer.subjects import with_subjects
from koos_gateway.service_layer.unit import Ports
from koos_kit.logging import get_logger

log = get_logger("koos.gateway.commands")

Check = Callable[[], Awaitable[bool]]


async def send(command: Command, caller: Caller, correlation_id: str, resource: str, ports: Ports) -> CommandRecord:
    """Record the command as pending, then publish it for the caller's organisation (every person it names under
    their subject id, see `subjects`)."""
    command = await with_subjects(command, caller.organisation_id, ports.people)
    envelope = wrap(command, source=ports.policy.source, organisation_id=caller.organisation_id,
                    correlation_id=correlation_id, time=ports.clock.now())
    record = CommandRecord(command_id=envelope.id, organisation_id=caller.organisation_id,
                           kind=type(command).__name__, status="pending", issued_by=caller.subject,
                           resource=resource, accepted_at=envelope.time)
    await ports.commands.accepted(record)
    await ports.bus.publish(envelope)
    log.info("command sent", command=record.kind, command_id=record.command_id)
    return record


async def wait_until(check: Check, seconds: float, ports: Ports) -> bool:
    """Check again after every local outcome or poll interval until it holds or time runs out."""
    deadline = time.monotonic() + seconds
    while True:
        if await check():
            return True
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return False
        await ports.signal.wait(min(remaining, ports.policy.poll_seconds))


async def outcome(record: CommandRecord, seconds: float, ports: Ports) -> CommandRecord:
    """The command as it stands after waiting up to `seconds` for its outcome."""
    latest = record

    async def settled() -> bool:
        nonlocal latest
        latest = await ports.commands.get(record.command_id) or latest
        return latest.is_settled

    await wait_until(settled, seconds, ports)
    return latest


async def visible_command(command_id: str, caller: Caller, ports: Ports) -> CommandRecord:
    """A command of the caller's organisation; a participant sees only their own."""
    record = await ports.commands.get(command_id)
    if record is None or not caller.belongs_to(record.organisation_id):
        raise NotFound("no such command")
    if caller.kind == "participant" and record.issued_by != caller.subject:
        raise NotFound("no such command")
    return record
