"""How notifications' copies and notifications look as MongoDB documents."""

from datetime import date
from typing import Any

from koos_contracts.values import Venue
from koos_notifications.domain.cause import Cause
from koos_notifications.domain.edition import EditionCopy, OutsideDateCopy, SessionCopy
from koos_notifications.domain.notification import Notification
from koos_notifications.domain.participant import ParticipantCopy, Recipient

Document = dict[str, Any]


def edition_document(edition: EditionCopy) -> Document:
    """A new edition's document; `last_start_at` (only ever raised) tells whether a session may still be ahead."""
    return {"_id": edition.edition_id, "organisation_id": edition.organisation_id, "title": edition.title,
            "timezone": edition.timezone, "reminder_offsets_minutes": list(edition.reminder_offsets_minutes),
            "sessions": [session_document(s) for s in edition.sessions],
            "last_start_at": max((s.starts_at for s in edition.sessions), default=None),
            "reminded_slots": sorted(edition.reminded_slots),
            "outside_dates": outside_dates_document(edition.outside_dates)}


def outside_dates_document(dates: tuple[OutsideDateCopy, ...]) -> list[Document]:
    return [{"key": d.key, "name": d.name, "on": d.on.isoformat(), "remind_days_before": list(d.remind_days_before)}
            for d in dates]


def session_document(session: SessionCopy) -> Document:
    return {"session_id": session.session_id, "title": session.title, "starts_at": session.starts_at,
            "ends_at": session.ends_at, "venue": session.venue.model_dump(), "status": session.status,
            "revision": session.revision, "revised_at": session.revised_at}


def edition_from(document: Document) -> EditionCopy:
    return EditionCopy(edition_id=document["_id"], organisation_id=document["organisation_id"],
                       title=document["title"], timezone=document["timezone"],
                       sessions=tuple(_session(s) for s in document["sessions"]),
                       reminder_offsets_minutes=tuple(document["reminder_offsets_minutes"]),
                       reminded_slots=frozenset(document.get("reminded_slots", ())),
                       outside_dates=tuple(OutsideDateCopy(d["key"], d["name"], date.fromisoformat(d["on"]),
                                                           tuple(d["remind_days_before"]))
                                           for d in document.get("outside_dates", ())))


def _session(document: Document) -> SessionCopy:
    return SessionCopy(session_id=document["session_id"], title=document["title"], starts_at=document["starts_at"],
                       ends_at=document["ends_at"], venue=Venue.model_validate(document["venue"]),
                       status=document["status"], revision=document["revision"], revised_at=document["revised_at"])


def participant_fields(participant: ParticipantCopy) -> Document:
    """A participant's fields, all set on every change."""
    seated_by = participant.seated_by
    return {"edition_id": participant.edition_id, "organisation_id": participant.organisation_id,
            "recipient": recipient_document(participant.recipient), "status": participant.status,
            "seated_at": participant.seated_at,
            "seated_by": cause_document(seated_by) if seated_by else None}


def participant_from(document: Document) -> ParticipantCopy:
    seated_by = document.get("seated_by")
    return ParticipantCopy(registration_id=document["_id"], edition_id=document["edition_id"],
                           organisation_id=document["organisation_id"],
                           recipient=Recipient(**document["recipient"]), status=document["status"],
                           seated_at=document.get("seated_at"), seated_by=Cause(**seated_by) if seated_by else None)


def cause_document(cause: Cause) -> Document:
    trace = {"traceparent": cause.traceparent} if cause.traceparent else {}
    return {"event_id": cause.event_id, "correlation_id": cause.correlation_id, **trace}


def recipient_document(recipient: Recipient) -> Document:
    return {"person_id": recipient.person_id, "email": recipient.email, "name": recipient.name,
            "language": recipient.language}


def notification_document(notification: Notification) -> Document:
    """A new notification's document: pending, never tried."""
    return {"_id": notification.notification_id, "kind": notification.kind, "edition_id": notification.edition_id,
            "registration_id": notification.registration_id, "organisation_id": notification.organisation_id,
            "recipient": recipient_document(notification.recipient), "details": notification.details,
            "cause": cause_document(notification.cause),
            "status": "pending", "due_at": notification.due_at, "attempts": 0, "deliveries": []}


def notification_from(document: Document) -> Notification:
    return Notification(notification_id=document["_id"], kind=document["kind"], edition_id=document["edition_id"],
                        registration_id=document["registration_id"], organisation_id=document["organisation_id"],
                        recipient=Recipient(**document["recipient"]), due_at=document["due_at"],
                        cause=Cause(**document["cause"]), details=document["details"])
