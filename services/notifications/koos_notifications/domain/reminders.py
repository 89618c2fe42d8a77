"""Reminders before each session, per the edition's policy: planned ahead, dropped when no longer true."""

from collections.abc import Iterator
from datetime import datetime, timedelta

from koos_notifications.domain.edition import EditionCopy, SessionCopy
from koos_notifications.domain.notification import Cause, Notification, reminder_id_for
from koos_notifications.domain.participant import ParticipantCopy


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
