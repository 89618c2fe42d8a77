"""The audit trail: the gateway records the people whose data it served or changed, and the services' changes it
learns from their events; organisers read it per person and per organisation, only their own organisation's."""

from collections.abc import Iterable, Sequence
from datetime import datetime

from koos_contracts import Envelope, Message
from koos_contracts.evaluation import FeedbackRecorded
from koos_contracts.registration import (
    ConsentWithdrawn,
    RegistrationCancelled,
    RegistrationConfirmed,
    RegistrationPromoted,
    RegistrationWaitlisted,
)
from koos_gateway.domain.access import ORGANISER, Caller
from koos_gateway.domain.audit import AuditEntry, access_entry, event_entry
from koos_gateway.domain.errors import NotFound
from koos_gateway.domain.registrations import RegistrationView
from koos_gateway.service_layer.unit import Ports

CHANGES = (RegistrationConfirmed, RegistrationWaitlisted, RegistrationPromoted, RegistrationCancelled,
           ConsentWithdrawn, FeedbackRecorded)
"""Events of a change to one person's data that the trail shows (acting service, action: the event's name)."""


async def accessed(caller: Caller, action: str, registrations: Iterable[RegistrationView], ports: Ports) -> None:
    """The caller read or changed the data of the people of these registrations, now."""
    now = ports.clock.now()
    entries = [access_entry(caller.organisation_id, caller.kind, caller.subject, action, r.registration_id,
                            r.person_id, now) for r in registrations]
    if entries:
        await ports.audit.record(entries)


def entry_of(envelope: Envelope, message: Message) -> AuditEntry | None:
    """The change to a person's data an event tells of, if it tells of one."""
    if not isinstance(message, CHANGES):
        return None
    person_id = message.participant.person_id if hasattr(message, "participant") else message.person_id
    subject = str(getattr(message, "registration_id", message.edition_id))
    service = envelope.source.rsplit("/", 1)[-1]
    return event_entry(envelope.id, envelope.organisationid, service, type(message).__name__, subject, person_id,
                       envelope.time)


async def changed(deliveries: Sequence[tuple[Envelope, Message]], ports: Ports) -> None:
    """Record the changes a consumed batch of events tells of."""
    entries = [e for e in (entry_of(envelope, message) for envelope, message in deliveries) if e is not None]
    if entries:
        await ports.audit.record(entries)


async def trail_of_person(person_id: str, caller: Caller, limit: int, ports: Ports) -> list[AuditEntry]:
    """Who read or changed this person's data in the organiser's organisation, the newest first; a person the
    organisation holds nothing about answers like an unknown one."""
    caller.require(ORGANISER)
    entries = await ports.audit.of_person(caller.organisation_id, person_id, limit)
    if not entries:
        raise NotFound("no such person")
    return entries


async def trail_of_organisation(caller: Caller, limit: int, before: datetime | None,
                                ports: Ports) -> list[AuditEntry]:
    """Every access and change in the organiser's organisation, the newest first."""
    caller.require(ORGANISER)
    return await ports.audit.of_organisation(caller.organisation_id, limit, before)
