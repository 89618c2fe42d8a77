"""Registration facts, a consumed batch at a time: who got a seat, who waits, who left; each mails the person once.

A batch is stored in two writes: the participants' copies in one bulk write (each change once per event id), then
every mail it causes, with the reminders planned at seating, in one insert. Notification ids follow from the event
and the registration, so a batch consumed again plans nothing new. A cancellation first drops the person's pending
reminders; a seat given and cancelled within one batch plans none. A repeated sign-up (the person is registered
already) mails the person's links again, at most once per window: whoever signed up with the address learns nothing
more than a first sign-up would tell them, and the owner of the address gets their links.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from koos_contracts import Envelope, Message
from koos_contracts.registration import (
    RegistrationCancelled,
    RegistrationConfirmed,
    RegistrationPromoted,
    RegistrationUnchanged,
    RegistrationWaitlisted,
)
from koos_kit.logging import get_logger
from koos_kit.messaging.subscription import Delivery, Waiting
from koos_notifications.domain.edition import EditionCopy
from koos_notifications.domain.notification import Notification
from koos_notifications.domain.participant import ParticipantChange, ParticipantCopy
from koos_notifications.domain.reminders import reminders_at_seating
from koos_notifications.domain.resend import RESEND_EVERY, links_mail_for
from koos_notifications.service_layer.facts import cause_of, participant_from
from koos_notifications.service_layer.ports import Ports

log = get_logger("koos.notifications")

SEATING = RegistrationConfirmed | RegistrationPromoted
FACTS = SEATING | RegistrationWaitlisted | RegistrationCancelled


@dataclass(frozen=True)
class Fact:
    """One registration event of the batch, with the change it makes to the participant's copy."""

    event: RegistrationConfirmed | RegistrationPromoted | RegistrationWaitlisted | RegistrationCancelled
    envelope: Envelope
    change: ParticipantChange


async def registrations_changed(deliveries: Sequence[Delivery], ports: Ports) -> Sequence[Waiting]:
    """Store the batch's participants, then its mails; other events of the registrations topic are ignored."""
    facts = [_fact(d.message, d.envelope) for d in deliveries if isinstance(d.message, FACTS)]
    repeats = [(d.message, d.envelope) for d in deliveries
               if isinstance(d.message, RegistrationUnchanged) and d.message.status != "cancelled"]
    if facts:
        await ports.participants.apply([fact.change for fact in facts])
        people = await _people(facts, ports)
        await _drop_reminders_of_the_cancelled(facts, people, ports)
        added = await ports.notifications.add(await _notices(facts, people, ports.clock.now(), ports))
        log.info("registration mails planned", events=len(facts), added=added,
                 unknown=len([f for f in facts if f.change.registration_id not in people]))
    if repeats:
        await _links_again(repeats, ports)
    return []


async def _links_again(repeats: list[tuple[RegistrationUnchanged, Envelope]], ports: Ports) -> None:
    """A repeated sign-up (a repeated cancellation leaves the person cancelled, and is not one) mails the links
    of its registration again, at most once per window per registration."""
    now = ports.clock.now()
    people = await ports.participants.get_many({str(event.registration_id) for event, _ in repeats})
    notices: dict[str, Notification] = {}
    for event, envelope in repeats:
        notice = links_mail_for(people.get(str(event.registration_id)), envelope.organisationid,
                                cause_of(envelope), now, RESEND_EVERY)
        if notice is not None:
            notices[notice.notification_id] = notice
    added = await ports.notifications.add(list(notices.values())) if notices else 0
    log.info("links mailed again on a repeated sign-up", repeats=len(repeats), added=added)


def _fact(event: Message, envelope: Envelope) -> Fact:
    organisation = envelope.organisationid
    if isinstance(event, RegistrationCancelled):
        return Fact(event, envelope, ParticipantChange(str(event.registration_id), envelope.id))
    if isinstance(event, RegistrationWaitlisted):
        waiting = participant_from(event.participant, event.registration_id, event.edition_id, organisation,
                                   "waiting")
        return Fact(event, envelope, ParticipantChange(waiting.registration_id, envelope.id, waiting))
    assert isinstance(event, SEATING)
    seated_at = event.confirmed_at if isinstance(event, RegistrationConfirmed) else event.promoted_at
    seated = participant_from(event.participant, event.registration_id, event.edition_id, organisation,
                              "confirmed", seated_at=seated_at, seated_by=cause_of(envelope))
    return Fact(event, envelope, ParticipantChange(seated.registration_id, envelope.id, seated))


async def _people(facts: list[Fact], ports: Ports) -> dict[str, ParticipantCopy]:
    """Whom each registration's mails go to: as the batch describes them, else as stored before."""
    described = {f.change.registration_id: f.change.participant for f in facts if f.change.participant}
    unseen = {f.change.registration_id for f in facts} - described.keys()
    return {**(await ports.participants.get_many(unseen) if unseen else {}), **described}


async def _drop_reminders_of_the_cancelled(facts: list[Fact], people: dict[str, ParticipantCopy],
                                            ports: Ports) -> None:
    cancelled = {f.change.registration_id for f in facts if f.change.is_cancellation} & people.keys()
    for registration_id in sorted(cancelled):
        await ports.notifications.cancel_reminders(people[registration_id].edition_id, "registration_cancelled",
                                                   registration_id=registration_id)


async def _notices(facts: list[Fact], people: dict[str, ParticipantCopy], now: datetime,
                   ports: Ports) -> list[Notification]:
    editions = {e: await ports.editions.get(e) for e in {p.edition_id for p in people.values()}}
    last_cancel = {f.change.registration_id: i for i, f in enumerate(facts) if f.change.is_cancellation}
    notices: list[Notification] = []
    for index, fact in enumerate(facts):
        person = fact.change.participant or people.get(fact.change.registration_id)
        if person is None:
            log.warning("cancellation of an unknown registration", registration_id=fact.change.registration_id)
            continue
        notices.append(_notice(fact, person, now))
        edition = editions.get(person.edition_id)
        if isinstance(fact.event, SEATING) and edition and last_cancel.get(person.registration_id, -1) < index:
            notices += _reminders(edition, person, fact.envelope, now, ports)
    return notices


def _notice(fact: Fact, person: ParticipantCopy, now: datetime) -> Notification:
    event, cause = fact.event, cause_of(fact.envelope)
    if isinstance(event, RegistrationConfirmed):
        return Notification.for_event("registration_confirmed", person, cause, now)
    if isinstance(event, RegistrationPromoted):
        return Notification.for_event("registration_promoted", person, cause, now)
    if isinstance(event, RegistrationWaitlisted):
        return Notification.for_event("registration_waitlisted", person, cause, now, position=event.position)
    return Notification.for_event("registration_cancelled", person, cause, now, previous_status=event.previous_status)


def _reminders(edition: EditionCopy, person: ParticipantCopy, envelope: Envelope, now: datetime,
               ports: Ports) -> list[Notification]:
    """Reminders already near (or of times planned already) come with the seat; later ones when their time nears."""
    return reminders_at_seating(edition, person, cause_of(envelope), now, now + 2 * ports.delivery.reminder_lead)
