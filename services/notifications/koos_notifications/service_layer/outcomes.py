"""The events that tell other services how a notification ended."""

from datetime import datetime
from uuid import NAMESPACE_URL, UUID, uuid5

from koos_contracts import Envelope, wrap
from koos_contracts.notifications import Doubt, NotificationFailed, NotificationSent
from koos_notifications.domain.delivery import Failure
from koos_notifications.domain.notification import Notification


def sent_event(notification: Notification, at: datetime, attempts: int, doubt: Doubt | None = None) -> NotificationSent:
    """The fact that the mail was handed to the mail server (`doubt`: an earlier attempt may have sent it)."""
    return NotificationSent(notification_id=notification.notification_id, kind=notification.kind,
                            edition_id=UUID(notification.edition_id), person_id=notification.recipient.person_id,
                            sent_at=at, attempts=attempts, doubt=doubt)


def failed_event(notification: Notification, at: datetime, attempts: int, failure: Failure) -> NotificationFailed:
    """The fact that the mail could not be delivered; the reason names no person."""
    return NotificationFailed(notification_id=notification.notification_id, kind=notification.kind,
                              edition_id=UUID(notification.edition_id), person_id=notification.recipient.person_id,
                              failed_at=at, attempts=attempts, reason=failure.describe())


def envelope_of(notification: Notification, event: NotificationSent | NotificationFailed, at: datetime,
                source: str) -> Envelope:
    """The event's envelope: its id follows from the notification, so a retried write repeats it."""
    event_id = str(uuid5(NAMESPACE_URL, f"koos:notification:{notification.notification_id}:{event.ce_type()}"))
    return wrap(event, source=source, organisation_id=notification.organisation_id,
                correlation_id=notification.cause.correlation_id, causation_id=notification.cause.event_id,
                event_id=event_id, time=at)
