"""A session of an edition: a span of time in a venue."""

from dataclasses import dataclass, replace
from datetime import date, datetime, time
from typing import Literal
from zoneinfo import ZoneInfo

from koos_contracts.scheduling import ScheduledSession, SessionPlan
from koos_contracts.values import Language, Venue

SessionStatus = Literal["scheduled", "cancelled"]


def local_instant(day: date, clock_time: time, time_zone: str) -> datetime:
    """An aware instant from a local date and time in a time zone."""
    return datetime.combine(day, clock_time, tzinfo=ZoneInfo(time_zone))


@dataclass(frozen=True)
class Session:
    """A planned session and what has happened to it."""

    session_id: str
    title: dict[Language, str] | None
    starts_at: datetime
    ends_at: datetime
    venue: Venue
    status: SessionStatus = "scheduled"
    ended: bool = False

    @classmethod
    def from_plan(cls, plan: SessionPlan, time_zone: str) -> "Session":
        """A session from an organiser's local plan."""
        return cls(
            session_id=plan.session_id,
            title=dict(plan.title) if plan.title else None,
            starts_at=local_instant(plan.date, plan.start, time_zone),
            ends_at=local_instant(plan.date, plan.end, time_zone),
            venue=plan.venue,
        )

    @property
    def is_active(self) -> bool:
        return self.status == "scheduled"

    def local_date(self, time_zone: str) -> date:
        """The session's date where it takes place."""
        return self.starts_at.astimezone(ZoneInfo(time_zone)).date()

    def same_venue(self, other: "Session") -> bool:
        return (self.venue.name, self.venue.address) == (other.venue.name, other.venue.address)

    def overlaps(self, other: "Session") -> bool:
        return self.starts_at < other.ends_at and other.starts_at < self.ends_at

    def moved(self, starts_at: datetime, ends_at: datetime, venue: Venue) -> "Session":
        return replace(self, starts_at=starts_at, ends_at=ends_at, venue=venue)

    def as_contract(self) -> ScheduledSession:
        """The session as events describe it."""
        return ScheduledSession(session_id=self.session_id, title=self.title, starts_at=self.starts_at,
                                ends_at=self.ends_at, venue=self.venue)
