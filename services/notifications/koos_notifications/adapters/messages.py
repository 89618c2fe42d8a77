"""A notification's mail as a MIME message: UTF-8 text, an HTML twin, attachments, a fixed Message-ID.

Built with the standard library's classic `email.mime` API and flattened once into the bytes handed to the SMTP
server: the same structure and headers as the modern `EmailMessage` API gives (multipart/alternative inside
multipart/mixed when there are attachments, quoted-printable UTF-8 bodies, RFC 2047 encoded names and subjects),
at a fifth of its cost per mail. A value with a line break is refused (`ValueError`), as the modern API does. An
address that is not ASCII cannot be written so; such a mail is built with the
modern API and goes out as SMTPUTF8.
"""

from datetime import datetime
from email import charset as charsets
from email import encoders
from email.header import Header
from email.headerregistry import Address
from email.message import EmailMessage, Message
from email.mime.multipart import MIMEMultipart
from email.mime.nonmultipart import MIMENonMultipart
from email.policy import SMTPUTF8, compat32
from email.utils import format_datetime, formataddr, parseaddr
from typing import Any

from koos_notifications.domain.mail import Attachment, OutgoingMail

UTF8 = charsets.Charset("utf-8")
UTF8.header_encoding = charsets.SHORTEST
UTF8.body_encoding = charsets.QP
WIRE = compat32.clone(linesep="\r\n")


def email_message(mail: OutgoingMail, now: datetime) -> Message:
    """The MIME message to hand to the SMTP server."""
    body = MIMEMultipart("alternative", _subparts=_alternatives(mail)) if mail.content.html else _text(mail)
    message = body
    if mail.attachments:
        message = MIMEMultipart("mixed", _subparts=[body, *(_attached(a) for a in mail.attachments)])
    _headers(message, mail, now)
    return message


def sender_address(mail: OutgoingMail) -> str:
    """The address the mail comes from (the envelope's sender)."""
    return parseaddr(mail.sender)[1]


def needs_smtputf8(mail: OutgoingMail) -> bool:
    """Whether an address of the mail is not ASCII, so that it can only go out as SMTPUTF8."""
    return not (mail.recipient.email.isascii() and sender_address(mail).isascii())


def wire_bytes(mail: OutgoingMail, now: datetime) -> bytes:
    """The message as it goes over SMTP, with CRLF line ends: ASCII unless it needs SMTPUTF8."""
    if needs_smtputf8(mail):
        return _international(mail, now).as_bytes(policy=SMTPUTF8)
    return email_message(mail, now).as_bytes(policy=WIRE)


def _international(mail: OutgoingMail, now: datetime) -> EmailMessage:
    message = EmailMessage(policy=SMTPUTF8)
    message.set_content(mail.content.text, charset="utf-8")
    if mail.content.html:
        message.add_alternative(mail.content.html, subtype="html", charset="utf-8")
    for attachment in mail.attachments:
        message.add_attachment(attachment.content, maintype=attachment.maintype, subtype=attachment.subtype,
                               filename=attachment.filename, params=dict(attachment.params))
    local, _, domain = mail.recipient.email.rpartition("@")
    to = Address(display_name=mail.recipient.name, username=local, domain=domain)
    for name, value in _header_values(mail, now, to, mail.content.subject):
        message[name] = value
    return message


def _alternatives(mail: OutgoingMail) -> list[Message]:
    return [_text(mail), _part("html", mail.content.html or "")]


def _text(mail: OutgoingMail) -> Message:
    return _part("plain", mail.content.text)


def _part(subtype: str, text: str) -> Message:
    part = MIMENonMultipart("text", subtype)
    part.set_payload(text, UTF8)
    return part


def _attached(attachment: Attachment) -> Message:
    part = MIMENonMultipart(attachment.maintype, attachment.subtype)
    for name, value in attachment.params:
        part.set_param(name, value)
    part.set_payload(attachment.content)
    encoders.encode_base64(part)
    part.add_header("Content-Disposition", "attachment", filename=attachment.filename)
    return part


def _headers(message: Message, mail: OutgoingMail, now: datetime) -> None:
    to = formataddr((mail.recipient.name, mail.recipient.email), charset=UTF8)
    for name, value in _header_values(mail, now, to, _encoded(mail.content.subject)):
        message[name] = formataddr(parseaddr(value), charset=UTF8) if name == "From" else value


def _header_values(mail: OutgoingMail, now: datetime, to: str | Address, subject: str) -> list[tuple[str, Any]]:
    _one_line(mail.sender, mail.recipient.name, mail.recipient.email, mail.content.subject, mail.message_id,
              mail.notification_id, mail.kind, mail.content.language)
    kind = [("X-Koos-Notification-Kind", mail.kind)] if mail.kind else []
    return [("From", mail.sender), ("To", to), ("Subject", subject),
            ("Date", format_datetime(now)), ("Message-ID", mail.message_id), ("Auto-Submitted", "auto-generated"),
            ("X-Koos-Notification", mail.notification_id), *kind, ("Content-Language", mail.content.language)]


def _one_line(*values: str) -> None:
    """Header values must not hold a line break (it would start a header of its own)."""
    if any("\r" in value or "\n" in value for value in values):
        raise ValueError("a header value holds a line break")


def _encoded(text: str) -> str:
    return text if text.isascii() else Header(text, UTF8).encode()
