"""Reminders before each session, per the edition's policy: planned as their time nears, dropped when no longer true.

A *slot* is one reminder time of an edition (a session in one revision of its time, and an offset before it).
A slot's reminders are planned for everyone seated in one go when it comes near; a person seated later gets the
reminders of slots planned already, or coming near, at once.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from koos_notifications.domain.cause import Cause
from koos_notifications.domain.edition import EditionCopy, SessionCopy
from koos_notifications.domain.notification import Notification, reminder_id_for
from koos_notifications.domain.participant import ParticipantCopy


@dataclass(frozen=True)
class ReminderSlot:
    """One reminder time of an edition: `offset_minutes` before a session, in one revision of its time."""

    session_id: str
    offset_minutes: int
    revision: int
    due_at: datetime

    @property
    def key(self) -> str:
        return slot_key(self.session_id, self.offset_minutes, self.revision)


def slot_key(session_id: str, offset_minutes: int, revision: int) -> str:
    """How a slot is named among an edition's planned slots."""
    return f"{session_id}:{offset_minutes}:{revision}"


def slot_of(reminder: Notification) -> str:
    """The slot a reminder belongs to."""
    details = reminder.details
    return slot_key(str(details["session_id"]), int(details["offset_minutes"]), int(details["revision"]))


def slots_due(edition: EditionCopy, until: datetime, now: datetime) -> list[ReminderSlot]:
    """Slots due by `until`, of sessions not yet begun, whose reminders are not yet planned."""
    slots = (ReminderSlot(session.session_id, offset, session.revision, session.starts_at - timedelta(minutes=offset))
             for session in edition.active_sessions() if session.starts_at > now
             for offset in edition.reminder_offsets_minutes)
    return [slot for slot in slots if slot.due_at <= until and slot.key not in edition.reminded_slots]


def reminders_at_seating(edition: EditionCopy, participant: ParticipantCopy, cause: Cause, now: datetime,
                         horizon: datetime) -> list[Notification]:
    """The reminders a person just seated gets at once: of slots planned already, or due by `horizon`."""
    return [reminder for reminder in plan_reminders(edition, participant, cause, now)
            if reminder.due_at <= horizon or slot_of(reminder) in edition.reminded_slots]


def plan_reminders(edition: EditionCopy, participant: ParticipantCopy, cause: Cause,
                   now: datetime) -> list[Notification]:
    """Every reminder a confirmed participant is still to get; none whose time had passed when planned."""
    if not participant.is_confirmed or participant.seated_at is None:
        return []
    return [reminder for session in edition.active_sessions()
            for reminder in _reminders_of(edition, session, participant, cause, now)]


def stale_reason(reminder: Notification, edition: EditionCopy, participant: ParticipantCopy | None,
                 now: datetime) -> str | None:
    """Why a due reminder must not go out any more, or None if it still holds."""
    session = edition.session(str(reminder.details["session_id"]))
    if participant is None or not participant.is_confirmed:
        return "participant_not_confirmed"
    if session is None or not session.is_active:
        return "session_cancelled"
    if session.revision != reminder.details["revision"]:
        return "session_moved"
    if session.starts_at <= now:
        return "session_started"
    if _overtaken(reminder, edition, session, now):
        return "overtaken_by_later_reminder"
    return None


def _overtaken(reminder: Notification, edition: EditionCopy, session: SessionCopy, now: datetime) -> bool:
    """A late reminder is not sent once a later one for the same session is due as well."""
    later = [o for o in edition.reminder_offsets_minutes if o < reminder.details["offset_minutes"]]
    return bool(later) and now >= session.starts_at - timedelta(minutes=max(later))


def _reminders_of(edition: EditionCopy, session: SessionCopy, participant: ParticipantCopy, cause: Cause,
                  now: datetime) -> Iterator[Notification]:
    planned_at = _planned_at(session, participant)
    for offset in edition.reminder_offsets_minutes:
        due_at = session.starts_at - timedelta(minutes=offset)
        if due_at <= planned_at or session.starts_at <= now:
            continue
        yield Notification(
            notification_id=reminder_id_for(participant.registration_id, session.session_id, offset, session.revision),
            kind="session_reminder", edition_id=edition.edition_id, registration_id=participant.registration_id,
            organisation_id=participant.organisation_id, recipient=participant.recipient, due_at=due_at, cause=cause,
            details={"session_id": session.session_id, "offset_minutes": offset, "revision": session.revision},
        )


def _planned_at(session: SessionCopy, participant: ParticipantCopy) -> datetime:
    seated_at = participant.seated_at
    assert seated_at is not None
    return max(seated_at, session.revised_at) if session.revised_at else seated_at
