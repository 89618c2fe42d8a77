"""A mail ready to hand to an SMTP server."""

from dataclasses import dataclass

from koos_notifications.domain.participant import Recipient


def message_id_for(notification_id: str, domain: str) -> str:
    """The Message-ID of a notification's mail: the same on every resend, so a mailbox can collapse copies."""
    return f"<{notification_id}@{domain}>"


@dataclass(frozen=True)
class Attachment:
    """A file attached to a mail."""

    filename: str
    content: bytes
    maintype: str
    subtype: str
    params: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class RenderedText:
    """Subject and bodies rendered from a template, in the language the template was found in."""

    subject: str
    text: str
    html: str | None
    language: str


@dataclass(frozen=True)
class OutgoingMail:
    """Everything an SMTP client needs to send one notification."""

    notification_id: str
    message_id: str
    sender: str
    recipient: Recipient
    content: RenderedText
    attachments: tuple[Attachment, ...] = ()
    kind: str = ""
