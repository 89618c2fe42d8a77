"""Mails a person asked for: their links again (only for a registration that stands, at most once per window),
and the link to the copy of their data once it is ready (once per request)."""

from datetime import datetime, timedelta
from uuid import uuid5

from koos_notifications.domain.cause import Cause
from koos_notifications.domain.notification import NOTIFICATION_NAMESPACE, Notification
from koos_notifications.domain.participant import ParticipantCopy

RESEND_EVERY = timedelta(minutes=10)
"""However often a person's links are asked for, they are mailed at most once in this window."""


def links_mail_for(participant: ParticipantCopy | None, organisation_id: str, cause: Cause, now: datetime,
                   every: timedelta) -> Notification | None:
    """The mail with the person's current links, or None when there is nothing to send them.

    Its id is the same for every request within one window of `every`, so asking again and again (or a
    stranger asking for someone's address) sends at most one mail per window.
    """
    if participant is None or participant.organisation_id != organisation_id or participant.status == "cancelled":
        return None
    window = int(now.timestamp() // every.total_seconds())
    notification_id = str(uuid5(NOTIFICATION_NAMESPACE, f"links:{participant.registration_id}:{window}"))
    return Notification(notification_id=notification_id, kind="links_resent", edition_id=participant.edition_id,
                        registration_id=participant.registration_id, organisation_id=participant.organisation_id,
                        recipient=participant.recipient, due_at=now, cause=cause,
                        details={"status": participant.status})


EXPORT_KEPT_DAYS = 7
"""How long the gateway keeps an export for its requester (`EXPORTS_KEPT` there); the mail says so."""


def export_ready_mail(participant: ParticipantCopy | None, organisation_id: str, request_id: str, cause: Cause,
                      now: datetime) -> Notification | None:
    """The mail with the link to a person's export, to the address of the registration they asked from; None when
    that registration is not known here (or is another organisation's). A cancelled registration still gets it:
    the person asked for their data, not for a seat."""
    if participant is None or participant.organisation_id != organisation_id or not participant.recipient.reachable:
        return None
    notification_id = str(uuid5(NOTIFICATION_NAMESPACE, f"export-ready:{request_id}"))
    return Notification(notification_id=notification_id, kind="export_ready", edition_id=participant.edition_id,
                        registration_id=participant.registration_id, organisation_id=participant.organisation_id,
                        recipient=participant.recipient, due_at=now, cause=cause,
                        details={"request_id": request_id, "kept_days": EXPORT_KEPT_DAYS})
