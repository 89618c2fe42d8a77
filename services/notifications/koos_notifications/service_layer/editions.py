"""Edition facts: publication, moved and cancelled sessions; confirmed participants hear of every change.

Reminders follow by themselves: the reminder planner (`reminding`) plans each reminder time of the current
edition as it comes near, so a moved session gets new reminders and a cancelled one none.
"""

from koos_contracts import Envelope
from koos_contracts.notifications import NotificationKind
from koos_contracts.scheduling import EditionPublished, SessionCancelled, SessionRescheduled
from koos_kit.logging import get_logger
from koos_notifications.domain.edition import SessionMove
from koos_notifications.domain.notification import Notification
from koos_notifications.service_layer.facts import cause_of, edition_from
from koos_notifications.service_layer.ports import Ports

log = get_logger("koos.notifications")


async def edition_published(event: EditionPublished, envelope: Envelope, ports: Ports) -> None:
    """Keep the edition: what mails say about it, and when to remind its participants."""
    await ports.editions.add(edition_from(event, envelope.organisationid))


async def session_rescheduled(event: SessionRescheduled, envelope: Envelope, ports: Ports) -> None:
    """Move the session, tell every confirmed participant, and drop the reminders of its old time."""
    edition_id = str(event.edition_id)
    move = SessionMove(session_id=event.session_id, starts_at=event.starts_at, ends_at=event.ends_at,
                       venue=event.venue, decided_at=envelope.time)
    await ports.editions.move_session(edition_id, move, envelope.id)
    edition = await ports.editions.get(edition_id)
    session = edition.session(event.session_id) if edition else None
    if edition is None or session is None:
        log.warning("reschedule of an unknown session", edition_id=edition_id, session_id=event.session_id)
        return
    await ports.notifications.cancel_reminders(edition_id, "session_moved", session_id=session.session_id,
                                               except_revision=session.revision)
    await _tell_confirmed(edition_id, "session_rescheduled", envelope, ports, _move_details(event, session.revision))


async def session_cancelled(event: SessionCancelled, envelope: Envelope, ports: Ports) -> None:
    """Cancel the session and its reminders, and tell every confirmed participant."""
    edition_id = str(event.edition_id)
    await ports.editions.cancel_session(edition_id, event.session_id, envelope.id)
    cancelled = await ports.notifications.cancel_reminders(edition_id, "session_cancelled",
                                                           session_id=event.session_id)
    edition = await ports.editions.get(edition_id)
    session = edition.session(event.session_id) if edition else None
    details = {"session_id": event.session_id, "starts_at": event.starts_at, "reason": event.reason,
               "revision": session.revision if session else 1}
    await _tell_confirmed(edition_id, "session_cancelled", envelope, ports, details)
    log.info("session cancelled", edition_id=edition_id, session_id=event.session_id, reminders_cancelled=cancelled)


def _move_details(event: SessionRescheduled, revision: int) -> dict[str, object]:
    return {"session_id": event.session_id, "starts_at": event.starts_at, "ends_at": event.ends_at,
            "venue": event.venue.model_dump(), "previous_starts_at": event.previous_starts_at,
            "previous_ends_at": event.previous_ends_at, "revision": revision}


async def _tell_confirmed(edition_id: str, kind: NotificationKind, envelope: Envelope, ports: Ports,
                          details: dict[str, object]) -> None:
    now, cause = ports.clock.now(), cause_of(envelope)
    confirmed = await ports.participants.confirmed_in(edition_id)
    notices = [Notification.for_event(kind, p, cause, now, **details) for p in confirmed]
    added = await ports.notifications.add(notices)
    log.info("participants told", kind=kind, edition_id=edition_id, participants=len(confirmed), added=added)
