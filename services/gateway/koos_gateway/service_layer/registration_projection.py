"""The registrations read model, built from the registration service's events a consumed batch at a time.

Seats, places in line and cancellations are registrations; a refused attempt is not (its reason is the
outcome of its command, in the command log). The changes of a batch are written in one bulk write (newest
wins per registration), then the outcomes in another, then waiting requests are woken. Seat counts go to
the edition read model, the newest per edition.
"""

from collections.abc import Sequence
from dataclasses import replace

from koos_contracts import Envelope, Message
from koos_contracts.registration import (
    RegistrationCancelled,
    RegistrationConfirmed,
    RegistrationPromoted,
    RegistrationWaitlisted,
    SeatsChanged,
)
from koos_gateway.domain.editions import SeatCount
from koos_gateway.domain.registrations import Contact, RegistrationChange
from koos_gateway.service_layer import audit
from koos_gateway.service_layer.outcomes import outcome_of, settle_all
from koos_gateway.service_layer.unit import Ports
from koos_kit.messaging.subscription import Delivery, Waiting


async def project(deliveries: Sequence[Delivery], ports: Ports) -> Sequence[Waiting]:
    """Apply a batch of registration events to the read models and settle the commands they answer."""
    changes = [c for c in (change_of(d.message, d.envelope) for d in deliveries) if c is not None]
    seats: dict[str, SeatsChanged] = {}
    for delivery in deliveries:
        if isinstance(delivery.message, SeatsChanged):
            known = seats.get(str(delivery.message.edition_id))
            if known is None or known.sequence < delivery.message.sequence:
                seats[str(delivery.message.edition_id)] = delivery.message
    await ports.registrations.apply_all(changes)
    for edition_id, count in seats.items():
        await ports.editions.count_seats(edition_id, SeatCount(count.taken, count.in_line, count.sequence))
    await audit.changed([(d.envelope, d.message) for d in deliveries], ports)
    outcomes = [o for o in (outcome_of(d.envelope, d.message) for d in deliveries) if o is not None]
    await settle_all(outcomes, ports)
    return []


def change_of(event: Message, envelope: Envelope) -> RegistrationChange | None:
    """What a registration event says of the registration it is about (None: it changes nothing)."""
    if isinstance(event, RegistrationCancelled):
        return RegistrationChange(str(event.registration_id), str(event.edition_id), envelope.organisationid,
                                  event.person_id, "cancelled", envelope.time)
    if not isinstance(event, RegistrationConfirmed | RegistrationWaitlisted | RegistrationPromoted):
        return None
    participant = event.participant
    base = RegistrationChange(str(event.registration_id), str(event.edition_id), envelope.organisationid,
                              participant.person_id, "confirmed", envelope.time,
                              contact=Contact(participant.name, str(participant.email), participant.language))
    if isinstance(event, RegistrationWaitlisted):
        return replace(base, status="waiting", queue_number=event.queue_number)
    return base
