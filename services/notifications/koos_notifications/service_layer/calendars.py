"""The `.ics` attached to mails: every session on a seat, the moved or cancelled one on a change.

Everyone seated in an edition gets the same file, so it is made once per edition state (its sessions' revisions),
language and minute (`DTSTAMP` is when it was made) and kept for the next mails (`KEPT` files at most).
"""

from datetime import datetime
from typing import Any, Literal
from zoneinfo import ZoneInfo

from koos_contracts.values import Venue
from koos_kit.ical import CalendarEntry, calendar, session_uid, workshop_uid
from koos_notifications.domain.edition import EditionCopy, SessionCopy, in_language
from koos_notifications.domain.mail import Attachment
from koos_notifications.domain.notification import Notification

SEATED = ("registration_confirmed", "registration_promoted")
KEPT = 64

SeatedKey = tuple[str, tuple[tuple[str, int], ...], str, datetime]
_seated: dict[SeatedKey, Attachment] = {}


def calendar_attachments(notification: Notification, edition: EditionCopy, language: str,
                         now: datetime) -> tuple[Attachment, ...]:
    """The calendar file a mail of this kind carries, if any."""
    if notification.kind in SEATED:
        return (_every_session(edition, language, now),)
    if notification.kind == "workshop_dated":
        return (_workshop(notification, edition, language, now),)
    title = in_language(edition.title, language)
    session = edition.session(str(notification.details.get("session_id", "")))
    if session is None:
        return ()
    if notification.kind == "session_rescheduled":
        entry = _entry(edition, session, title, language, **_moved(notification.details))
        return (_attachment(calendar([entry], title, method="PUBLISH", stamped_at=now), "PUBLISH"),)
    if notification.kind == "session_cancelled":
        entry = _entry(edition, session, title, language, status="CANCELLED", sequence=notification.details["revision"])
        return (_attachment(calendar([entry], title, method="CANCEL", stamped_at=now), "CANCEL"),)
    return ()


def _workshop(notification: Notification, edition: EditionCopy, language: str, now: datetime) -> Attachment:
    """The day of a programme's workshop, with its blocks."""
    details, zone = notification.details, ZoneInfo(edition.timezone)
    venue = Venue.model_validate(details["venue"])
    title = in_language(edition.title, language)
    entry = CalendarEntry(uid=workshop_uid(edition.edition_id, details["workshop_key"]),
                          summary=f"{title}: {in_language(details['workshop_title'], language)}",
                          starts_at=details["starts_at"].astimezone(zone), ends_at=details["ends_at"].astimezone(zone),
                          location=", ".join((venue.name, venue.address, venue.city)),
                          description="\n".join(details["blocks"]))
    return _attachment(calendar([entry], title, method="PUBLISH", stamped_at=now), "PUBLISH")


def _every_session(edition: EditionCopy, language: str, now: datetime) -> Attachment:
    """The calendar of everyone seated: the same for the same edition state, language and minute."""
    key = (edition.edition_id, tuple((s.session_id, s.revision) for s in edition.sessions), language,
           now.replace(second=0, microsecond=0))
    if key not in _seated:
        if len(_seated) >= KEPT:
            _seated.clear()
        title = in_language(edition.title, language)
        entries = [_entry(edition, s, title, language) for s in edition.active_sessions()]
        _seated[key] = _attachment(calendar(entries, title, method="PUBLISH", stamped_at=now), "PUBLISH")
    return _seated[key]


def _entry(edition: EditionCopy, session: SessionCopy, title: str, language: str, **changes: Any) -> CalendarEntry:
    venue: Venue = changes.pop("venue", session.venue)
    status: Literal["CONFIRMED", "CANCELLED"] = changes.pop("status", "CONFIRMED")
    return CalendarEntry(
        uid=session_uid(edition.edition_id, session.session_id),
        summary=_summary(edition, session, title, language),
        starts_at=changes.get("starts_at", session.starts_at),
        ends_at=changes.get("ends_at", session.ends_at),
        location=", ".join((venue.name, venue.address, venue.city)),
        sequence=changes.get("sequence", session.revision),
        status=status,
    )


def _summary(edition: EditionCopy, session: SessionCopy, title: str, language: str) -> str:
    if session.title:
        return f"{title}: {in_language(session.title, language)}"
    return f"{title} ({edition.number_of(session.session_id)}/{len(edition.sessions)})"


def _moved(details: dict[str, Any]) -> dict[str, Any]:
    return {"starts_at": details["starts_at"], "ends_at": details["ends_at"],
            "venue": Venue.model_validate(details["venue"]), "sequence": details["revision"]}


def _attachment(content: bytes, method: str) -> Attachment:
    return Attachment(filename="calendar.ics", content=content, maintype="text", subtype="calendar",
                      params=(("method", method), ("charset", "utf-8")))
