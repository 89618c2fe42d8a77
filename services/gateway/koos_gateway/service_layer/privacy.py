"""Use cases about a person's data as a whole: asking every service for an export or an erasure, following the
answers, and showing them to whoever asked.

A participant asks for their own export with their token; an organiser asks for a person of their
organisation by the address the person registered with. Each request is one command on
`koos.privacy.requests.v1`, answered once by every holder of personal data.
"""

from uuid import UUID, uuid4

from koos_contracts import Envelope, wrap
from koos_contracts.personal_data import (
    ErasePersonalData,
    ExportPersonalData,
    PersonalDataErased,
    PersonalDataExported,
    PersonalDataExportReady,
)
from koos_gateway.domain.access import ORGANISER, Caller
from koos_gateway.domain.errors import NotFound
from koos_gateway.domain.privacy import PrivacyRequest, RequestKind
from koos_gateway.service_layer.unit import Ports
from koos_kit.logging import get_logger

log = get_logger("koos.gateway.privacy")
COMMANDS = {"export": ExportPersonalData, "erasure": ErasePersonalData}


async def export_mine(caller: Caller, correlation_id: str, ports: Ports) -> PrivacyRequest:
    """A participant asks for everything Koos holds about them."""
    caller.require("participant")
    return await _ask("export", caller.subject, caller, correlation_id, ports)


async def ask_for(kind: RequestKind, email: str, caller: Caller, correlation_id: str, ports: Ports) -> PrivacyRequest:
    """An organiser asks, on a person's behalf, for their export or their erasure."""
    caller.require(ORGANISER)
    subject = await ports.people.known_subject(caller.organisation_id, email)
    if subject is None:
        raise NotFound("no such person")
    return await _ask(kind, subject, caller, correlation_id, ports)


async def visible_request(request_id: str, caller: Caller, ports: Ports) -> PrivacyRequest:
    """A request of the caller's organisation; a participant sees only their own exports."""
    request = await ports.privacy.get(request_id)
    if request is None or not caller.belongs_to(request.organisation_id):
        raise NotFound("no such request")
    if caller.kind == "participant" and (request.requested_by != caller.subject or request.kind != "export"):
        raise NotFound("no such request")
    if caller.kind == "staff":
        caller.require(ORGANISER)
    return request


async def part_exported(event: PersonalDataExported, envelope: Envelope, ports: Ports) -> None:
    """Keep a service's part; with the last part of a participant's export, tell them it is ready (once)."""
    await ports.privacy.answer_export(event.request_id, event.service, event.document)
    request = await ports.privacy.get(event.request_id)
    if request is None or not request.to_announce() or request.registration_id is None:
        return
    ready = PersonalDataExportReady(request_id=request.request_id, subject_id=request.subject_id,
                                    registration_id=UUID(request.registration_id), ready_at=ports.clock.now())
    announcement = wrap(ready, source=ports.policy.source, organisation_id=request.organisation_id,
                        correlation_id=envelope.correlationid, time=ports.clock.now())
    if await ports.privacy.announce(request.request_id, announcement):
        log.info("export ready", request_id=request.request_id)


async def erasure_confirmed(event: PersonalDataErased, envelope: Envelope, ports: Ports) -> None:
    await ports.privacy.answer_erasure(event.request_id, event.service, dict(event.erased))
    log.info("erasure confirmed", service=event.service)


async def _ask(kind: RequestKind, subject: str, caller: Caller, correlation_id: str, ports: Ports) -> PrivacyRequest:
    request_id = str(uuid4())
    requested_by = "participant" if caller.kind == "participant" else "organiser"
    command = COMMANDS[kind](request_id=request_id, subject_id=subject, requested_by=requested_by)
    envelope = wrap(command, source=ports.policy.source, organisation_id=caller.organisation_id,
                    correlation_id=correlation_id, time=ports.clock.now())
    request = PrivacyRequest(request_id=request_id, kind=kind, subject_id=subject,
                             organisation_id=caller.organisation_id, requested_by=caller.subject,
                             requested_at=envelope.time,
                             registration_id=caller.registration_id if caller.kind == "participant" else None)
    await ports.privacy.add(request)
    await ports.bus.publish(envelope)
    log.info("privacy request sent", kind=kind, request_id=request_id)
    return request
