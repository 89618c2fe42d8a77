"""Reading what the SMTP dev server stored: summaries and whole messages."""

from __future__ import annotations

import mailbox
from dataclasses import dataclass
from datetime import UTC, datetime
from email import policy
from email.errors import HeaderParseError
from email.message import EmailMessage, Message
from email.parser import BytesHeaderParser, BytesParser
from email.utils import parsedate_to_datetime
from pathlib import Path

_EPOCH = datetime.fromtimestamp(0, UTC)


@dataclass(frozen=True)
class MailSummary:
    """The headers of one stored message."""

    key: str
    message_id: str
    sender: str
    to: str
    subject: str
    date: datetime | None
    received_at: datetime | None


def list_messages(maildir: Path | str) -> list[MailSummary]:
    """Summarise every message in maildir, oldest first; an absent maildir has none."""
    if not Path(maildir).is_dir():
        return []
    box = mailbox.Maildir(maildir, create=False)
    summaries = [_summary(key, box) for key in box.iterkeys()]
    return sorted(summaries, key=lambda mail: (mail.received_at or _EPOCH, mail.key))


def read_message(maildir: Path | str, key: str) -> EmailMessage:
    """Return the stored message with this key; KeyError when there is none."""
    raw = mailbox.Maildir(maildir, create=False).get_bytes(key)
    return BytesParser(policy=policy.default).parsebytes(raw)


def _summary(key: str, box: mailbox.Maildir) -> MailSummary:
    headers = BytesHeaderParser(policy=policy.default).parsebytes(box.get_bytes(key))
    return MailSummary(
        key=key,
        message_id=_text(headers, "Message-ID"),
        sender=_text(headers, "From"),
        to=_text(headers, "To"),
        subject=_text(headers, "Subject"),
        date=_date(_text(headers, "Date")),
        received_at=_iso(_text(headers, "X-Koos-Received-At")),
    )


def _text(headers: Message, name: str) -> str:
    """A header's text; one the email package cannot parse (e.g. `Message-ID: <>`) as written."""
    try:
        value = headers.get(name)
    except (HeaderParseError, IndexError, ValueError):
        value = next((raw for key, raw in headers.raw_items() if key.lower() == name.lower()), None)
    return "" if value is None else str(value)


def _date(value: str) -> datetime | None:
    try:
        return parsedate_to_datetime(value) if value else None
    except (TypeError, ValueError):
        return None


def _iso(value: str) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if value else None
    except ValueError:
        return None
