"""An edition as the gateway knows it from scheduling's events: plan, sessions and registration window."""

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Literal

from koos_contracts.scheduling import FeedbackQuestion
from koos_contracts.values import Venue
from koos_gateway.domain.errors import Conflict

SessionStatus = Literal["scheduled", "cancelled"]
WindowState = Literal["not_open_yet", "open", "closed"]


@dataclass(frozen=True)
class SessionView:
    """A session as it stands; `revision` counts its changes, moves and cancellation (the iCalendar SEQUENCE)."""

    session_id: str
    title: dict[str, str] | None
    starts_at: datetime
    ends_at: datetime
    venue: Venue
    status: SessionStatus = "scheduled"
    revision: int = 0
    cancel_reason: str | None = None


@dataclass(frozen=True)
class SeatCount:
    """Seats taken and people in line after registration's latest batch (`sequence` orders the counts)."""

    taken: int
    in_line: int
    sequence: int


@dataclass(frozen=True)
class EditionView:
    """A published edition of one organisation."""

    edition_id: str
    organisation_id: str
    kind: str
    title: dict[str, str]
    description: dict[str, str]
    timezone: str
    starts_on: date
    ends_on: date
    capacity: int
    registration_opens_at: datetime
    registration_closes_at: datetime
    sessions: tuple[SessionView, ...]
    reminder_offsets_minutes: tuple[int, ...] = ()
    feedback_questions: tuple[FeedbackQuestion, ...] = field(default_factory=tuple)
    seats: "SeatCount | None" = None

    def window_at(self, moment: datetime) -> WindowState:
        """Whether registration is open at a moment."""
        if moment < self.registration_opens_at:
            return "not_open_yet"
        if moment >= self.registration_closes_at:
            return "closed"
        return "open"

    def check_open_for_registration(self, moment: datetime) -> None:
        """Refuse, with the reason, a registration outside the window."""
        state = self.window_at(moment)
        if state == "not_open_yet":
            raise Conflict(f"registration opens at {self.registration_opens_at.isoformat()}",
                           code="registration_not_open")
        if state == "closed":
            raise Conflict(f"registration closed at {self.registration_closes_at.isoformat()}",
                           code="registration_closed")

    def is_over(self, moment: datetime) -> bool:
        """Whether its last session has ended."""
        return moment >= max(s.ends_at for s in self.sessions)

    def seats_left(self) -> int:
        """Free seats, as registration last counted them (all of them before anyone registered)."""
        return max(0, self.capacity - (self.seats.taken if self.seats else 0))

    def in_line(self) -> int:
        """How many wait for a seat, as registration last counted them."""
        return self.seats.in_line if self.seats else 0

    def session(self, session_id: str) -> SessionView | None:
        """One session by its id."""
        return next((s for s in self.sessions if s.session_id == session_id), None)

    def with_session(self, session: SessionView) -> "EditionView":
        """The edition with one session replaced."""
        sessions = tuple(session if s.session_id == session.session_id else s for s in self.sessions)
        return replace(self, sessions=sessions)
