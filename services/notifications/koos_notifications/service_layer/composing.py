"""A notification becomes a mail: rendered in the person's language, with its calendar file."""

from datetime import datetime

from koos_notifications.domain.edition import EditionCopy
from koos_notifications.domain.mail import OutgoingMail, message_id_for
from koos_notifications.domain.notification import Notification
from koos_notifications.service_layer.calendars import calendar_attachments
from koos_notifications.service_layer.mailing import MailRenderer, MailSettings
from koos_notifications.service_layer.views import mail_context


def compose(notification: Notification, edition: EditionCopy, renderer: MailRenderer, settings: MailSettings,
            now: datetime) -> OutgoingMail:
    """The mail of a notification; its Message-ID is the same every time it is composed."""
    language = renderer.language_for(notification.kind, notification.recipient.language)
    content = renderer.render(notification.kind, language,
                              mail_context(notification, edition, language, settings, now))
    return OutgoingMail(
        notification_id=notification.notification_id,
        message_id=message_id_for(notification.notification_id, settings.message_id_domain),
        sender=settings.sender,
        recipient=notification.recipient,
        content=content,
        attachments=calendar_attachments(notification, edition, language, now),
        kind=notification.kind,
    )
