"""A notification's mail as a MIME message: UTF-8 text, an HTML twin, attachments, a fixed Message-ID."""

from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime

from koos_notifications.domain.mail import OutgoingMail


def email_message(mail: OutgoingMail, now: datetime) -> EmailMessage:
    """The MIME message to hand to the SMTP server."""
    message = EmailMessage(policy=SMTP)
    _headers(message, mail, now)
    message.set_content(mail.content.text, charset="utf-8")
    if mail.content.html:
        message.add_alternative(mail.content.html, subtype="html", charset="utf-8")
    for attachment in mail.attachments:
        message.add_attachment(attachment.content, maintype=attachment.maintype, subtype=attachment.subtype,
                               filename=attachment.filename, params=dict(attachment.params))
    message["Content-Language"] = mail.content.language
    return message


def _headers(message: EmailMessage, mail: OutgoingMail, now: datetime) -> None:
    message["From"] = mail.sender
    message["To"] = Address(display_name=mail.recipient.name, addr_spec=mail.recipient.email)
    message["Subject"] = mail.content.subject
    message["Date"] = format_datetime(now)
    message["Message-ID"] = mail.message_id
    message["Auto-Submitted"] = "auto-generated"
    message["X-Koos-Notification"] = mail.notification_id
    if mail.kind:
        message["X-Koos-Notification-Kind"] = mail.kind
