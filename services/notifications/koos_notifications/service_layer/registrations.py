"""Registration facts: who got a seat, who waits, who left; each mails the person once, in one write."""

from koos_contracts import Envelope
from koos_contracts.notifications import NotificationKind
from koos_contracts.registration import (
    RegistrationCancelled,
    RegistrationConfirmed,
    RegistrationPromoted,
    RegistrationWaitlisted,
)
from koos_kit.logging import get_logger
from koos_notifications.domain.notification import Notification
from koos_notifications.domain.participant import ParticipantCopy
from koos_notifications.domain.reminders import reminders_at_seating
from koos_notifications.service_layer.facts import cause_of, participant_from
from koos_notifications.service_layer.ports import Ports

log = get_logger("koos.notifications")


async def registration_confirmed(event: RegistrationConfirmed, envelope: Envelope, ports: Ports) -> None:
    """Mail the confirmation with the calendar, and plan the reminders."""
    participant = participant_from(event.participant, event.registration_id, event.edition_id,
                                   envelope.organisationid, "confirmed", seated_at=event.confirmed_at,
                                   seated_by=cause_of(envelope))
    await _seat(participant, "registration_confirmed", envelope, ports)


async def registration_promoted(event: RegistrationPromoted, envelope: Envelope, ports: Ports) -> None:
    """Mail the good news with the calendar, and plan the reminders."""
    participant = participant_from(event.participant, event.registration_id, event.edition_id,
                                   envelope.organisationid, "confirmed", seated_at=event.promoted_at,
                                   seated_by=cause_of(envelope))
    await _seat(participant, "registration_promoted", envelope, ports)


async def registration_waitlisted(event: RegistrationWaitlisted, envelope: Envelope, ports: Ports) -> None:
    """Mail the person their place in the line."""
    participant = participant_from(event.participant, event.registration_id, event.edition_id,
                                   envelope.organisationid, "waiting")
    await ports.participants.record(participant, envelope.id)
    notice = Notification.for_event("registration_waitlisted", participant, cause_of(envelope), ports.clock.now(),
                                    position=event.position)
    await _store([notice], ports)


async def registration_cancelled(event: RegistrationCancelled, envelope: Envelope, ports: Ports) -> None:
    """Confirm the cancellation and drop the person's pending reminders."""
    registration_id = str(event.registration_id)
    await ports.participants.cancel(registration_id, envelope.id)
    participant = await ports.participants.get(registration_id)
    if participant is None:
        log.warning("cancellation of an unknown registration", registration_id=registration_id)
        return
    await ports.notifications.cancel_reminders(participant.edition_id, "registration_cancelled",
                                               registration_id=registration_id)
    notice = Notification.for_event("registration_cancelled", participant, cause_of(envelope), ports.clock.now(),
                                    previous_status=event.previous_status)
    await _store([notice], ports)


async def _seat(participant: ParticipantCopy, kind: NotificationKind, envelope: Envelope, ports: Ports) -> None:
    """One write for the mail and any reminder already near; later reminders are planned when their time nears."""
    await ports.participants.record(participant, envelope.id)
    now, cause = ports.clock.now(), cause_of(envelope)
    notices = [Notification.for_event(kind, participant, cause, now)]
    edition = await ports.editions.get(participant.edition_id)
    if edition is not None:
        notices += reminders_at_seating(edition, participant, cause, now, now + 2 * ports.delivery.reminder_lead)
    await _store(notices, ports)


async def _store(notifications: list[Notification], ports: Ports) -> None:
    added = await ports.notifications.add(notifications)
    log.info("notifications planned", kinds=sorted({n.kind for n in notifications}), added=added)
