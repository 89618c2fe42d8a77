"""iCalendar (RFC 5545) documents for sessions: feeds and mail attachments share one rendering."""

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from icalendar import Calendar, Event

PRODUCT_ID = "-//Koos//Koos programmes//EN"


def session_uid(edition_id: object, session_id: str) -> str:
    """The UID of a session in every calendar Koos produces, so that updates replace the entry."""
    return f"{edition_id}-{session_id}@koos"


def workshop_uid(programme_id: object, workshop_key: str) -> str:
    """The UID of a programme's workshop, in its feed and in the mails that tell of its day alike."""
    return f"{programme_id}-{workshop_key}@koos"


@dataclass(frozen=True)
class CalendarEntry:
    """One session as a calendar shows it; `sequence` grows with every change."""

    uid: str
    summary: str
    starts_at: datetime
    ends_at: datetime
    location: str
    description: str = ""
    sequence: int = 0
    status: Literal["CONFIRMED", "CANCELLED"] = "CONFIRMED"
    url: str | None = None


def calendar(entries: Sequence[CalendarEntry], name: str, *, method: str | None = None,
             stamped_at: datetime | None = None) -> bytes:
    """An iCalendar document with one VEVENT per entry."""
    stamp = stamped_at or datetime.now(UTC)
    document = Calendar()
    document.add("prodid", PRODUCT_ID)
    document.add("version", "2.0")
    document.add("x-wr-calname", _one_line(name))
    if method:
        document.add("method", method)
    for entry in entries:
        document.add_component(_event(entry, stamp))
    return bytes(document.to_ical())


def _one_line(text: str) -> str:
    """The calendar's name as one line: contracts refuse control characters, but data older than that may hold
    some, and a line break there would make the whole document unwritable."""
    return "".join(" " if unicodedata.category(char) == "Cc" else char for char in text)


def _event(entry: CalendarEntry, stamp: datetime) -> Event:
    event = Event()
    event.add("uid", entry.uid)
    event.add("summary", entry.summary)
    event.add("dtstart", entry.starts_at)
    event.add("dtend", entry.ends_at)
    event.add("dtstamp", stamp)
    event.add("location", entry.location)
    event.add("sequence", entry.sequence)
    event.add("status", entry.status)
    if entry.description:
        event.add("description", entry.description)
    if entry.url:
        event.add("url", entry.url)
    return event
