"""The registrations read model, built from the registration service's events."""

from koos_contracts import Envelope
from koos_contracts.registration import (
    RegistrationCancelled,
    RegistrationConfirmed,
    RegistrationPromoted,
    RegistrationRefused,
    RegistrationWaitlisted,
)
from koos_contracts.values import Participant
from koos_gateway.domain.registrations import Contact, RegistrationChange, Status
from koos_gateway.service_layer.projections import settle
from koos_gateway.service_layer.unit import Ports


async def confirmed(event: RegistrationConfirmed, envelope: Envelope, ports: Ports) -> None:
    """A person got a seat."""
    await _apply(envelope, _change(event, envelope, "confirmed", event.participant), ports, settles=True)


async def waitlisted(event: RegistrationWaitlisted, envelope: Envelope, ports: Ports) -> None:
    """A person joined the line."""
    change = _change(event, envelope, "waiting", event.participant, queue_number=event.queue_number)
    await _apply(envelope, change, ports, settles=True)


async def promoted(event: RegistrationPromoted, envelope: Envelope, ports: Ports) -> None:
    """A person in line got a freed seat (caused by someone else's cancellation, so it settles nothing)."""
    await _apply(envelope, _change(event, envelope, "confirmed", event.participant), ports, settles=False)


async def cancelled(event: RegistrationCancelled, envelope: Envelope, ports: Ports) -> None:
    """A registration was cancelled or a person left the line."""
    change = RegistrationChange(str(event.registration_id), str(event.edition_id), envelope.organisationid,
                                event.person_id, "cancelled", envelope.time)
    await _apply(envelope, change, ports, settles=True)


async def refused(event: RegistrationRefused, envelope: Envelope, ports: Ports) -> None:
    """A registration was refused, with the reason."""
    change = _change(event, envelope, "refused", event.participant, reason_code=event.reason_code,
                     reason=event.reason)
    await ports.registrations.apply(change)
    await settle(envelope, "refused", ports, event.reason)


async def _apply(envelope: Envelope, change: RegistrationChange, ports: Ports, *, settles: bool) -> None:
    await ports.registrations.apply(change)
    if settles:
        await settle(envelope, "succeeded", ports)


def _change(event: RegistrationConfirmed | RegistrationWaitlisted | RegistrationPromoted | RegistrationRefused,
            envelope: Envelope, status: Status, participant: Participant, *, queue_number: int | None = None,
            reason_code: str | None = None, reason: str | None = None) -> RegistrationChange:
    contact = Contact(participant.name, str(participant.email), participant.language)
    return RegistrationChange(str(event.registration_id), str(event.edition_id), envelope.organisationid,
                              participant.person_id, status, envelope.time, contact=contact,
                              queue_number=queue_number, reason_code=reason_code, reason=reason)
