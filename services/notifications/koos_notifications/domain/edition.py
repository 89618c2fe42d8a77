"""Notifications' own copy of an edition: what mails need to say about it."""

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

from koos_contracts.values import FALLBACK_LANGUAGE, Venue
from koos_notifications.domain.cause import Cause

SessionStatus = Literal["scheduled", "cancelled"]


def in_language(texts: dict[str, str], language: str) -> str:
    """The text in a language, else in English, else in any language given."""
    return texts.get(language) or texts.get(FALLBACK_LANGUAGE) or next(iter(texts.values()), "")


@dataclass(frozen=True)
class SessionCopy:
    """A session as participants are told about it; `revision` grows with every change."""

    session_id: str
    title: dict[str, str] | None
    starts_at: datetime
    ends_at: datetime
    venue: Venue
    status: SessionStatus = "scheduled"
    revision: int = 0
    revised_at: datetime | None = None

    @property
    def is_active(self) -> bool:
        return self.status == "scheduled"


@dataclass(frozen=True)
class OutsideDateCopy:
    """A date outside Koos that matters to a programme's participants, and how many days before it to remind."""

    key: str
    name: dict[str, str]
    on: date
    remind_days_before: tuple[int, ...]


@dataclass(frozen=True)
class DatedWorkshop:
    """A programme's workshop as its members are told of its day: the event that dated it (its mails follow from
    that event, so a member told twice is mailed once) and what the mail says."""

    key: str
    cause: Cause
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class EditionCopy:
    """An edition: its title per language, time zone, sessions, reminder policy, and the reminder times planned."""

    edition_id: str
    organisation_id: str
    title: dict[str, str]
    timezone: str
    sessions: tuple[SessionCopy, ...]
    reminder_offsets_minutes: tuple[int, ...]
    reminded_slots: frozenset[str] = frozenset()
    outside_dates: tuple[OutsideDateCopy, ...] = ()

    def session(self, session_id: str) -> SessionCopy | None:
        """The session with this id, if the edition has it."""
        return next((s for s in self.sessions if s.session_id == session_id), None)

    def active_sessions(self) -> tuple[SessionCopy, ...]:
        """Sessions not cancelled, in time order."""
        return tuple(sorted((s for s in self.sessions if s.is_active), key=lambda s: s.starts_at))

    def number_of(self, session_id: str) -> int:
        """The session's place (from 1) among all sessions in time order."""
        ordered = sorted(self.sessions, key=lambda s: s.starts_at)
        return next((i + 1 for i, s in enumerate(ordered) if s.session_id == session_id), 0)


@dataclass(frozen=True)
class SessionMove:
    """A session's new place in time (and venue), decided at `decided_at`."""

    session_id: str
    starts_at: datetime
    ends_at: datetime
    venue: Venue
    decided_at: datetime
