"""The museum's pop-up space over a season: opening hours, bookings at a time, producers' wishes, and the check.

A season runs from its first to its last day; on each weekday the space is open for the `hours` given for that
weekday (none: closed), except on `closed_days`. At most `capacity` bookings run at any moment (1: one at a time).
Accepted producers state when they could use the space (intervals), how long one booking lasts and how many
bookings they want. A booking starts on the season's step (every 30 minutes by default) and lies within one
opening period and within one of its producer's intervals. Times are local to the space (no time zone).
`check_season` proves a whole season's bookings are sound: inside opening hours, never more than the capacity at
once, and no producer booked twice at the same time.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta


@dataclass(frozen=True)
class Opening:
    weekday: int
    opens: time
    closes: time


@dataclass(frozen=True)
class Season:
    first_day: date
    last_day: date
    hours: tuple[Opening, ...]
    capacity: int = 1
    step_minutes: int = 30
    closed_days: frozenset[date] = frozenset()

    def periods(self) -> tuple[tuple[datetime, datetime], ...]:
        """Every opening period of the season, in time order."""
        days = (self.first_day + timedelta(days=n) for n in range((self.last_day - self.first_day).days + 1))
        return tuple((datetime.combine(day, o.opens), datetime.combine(day, o.closes))
                     for day in days if day not in self.closed_days
                     for o in sorted(self.hours, key=lambda o: o.opens) if o.weekday == day.weekday())


@dataclass(frozen=True)
class Interval:
    start: datetime
    end: datetime

    def holds(self, start: datetime, end: datetime) -> bool:
        return self.start <= start and end <= self.end


@dataclass(frozen=True)
class Producer:
    producer_id: str
    available: tuple[Interval, ...]
    duration: timedelta
    wanted: int = 1


@dataclass(frozen=True, order=True)
class SpaceBooking:
    start: datetime
    end: datetime
    producer_id: str

    def overlaps(self, other: "SpaceBooking") -> bool:
        return self.start < other.end and other.start < self.end


@dataclass(frozen=True)
class Unserved:
    """`code` is "no_matching_time" (no opening period fits the stated availability) or "taken"."""

    producer_id: str
    missing: int
    code: str


@dataclass(frozen=True)
class Allocation:
    """`method` is "first_come_first_served" or "solver"."""

    bookings: tuple[SpaceBooking, ...]
    method: str
    unserved: tuple[Unserved, ...]


def options(season: Season, producer: Producer) -> tuple[SpaceBooking, ...]:
    """Every booking the producer could have on their own: on the step, inside an opening period and their time."""
    step = timedelta(minutes=season.step_minutes)
    found = []
    for opens, closes in season.periods():
        start = opens
        while start + producer.duration <= closes:
            end = start + producer.duration
            if any(i.holds(start, end) for i in producer.available):
                found.append(SpaceBooking(start, end, producer.producer_id))
            start += step
    return tuple(found)


def check_season(season: Season, bookings: Sequence[SpaceBooking]) -> tuple[str, ...]:
    """Every rule the season's bookings break, for a person to read; empty when none."""
    periods = season.periods()
    broken = [f"{_said(b)} is outside the opening hours" for b in bookings
              if b.end <= b.start or not any(o <= b.start and b.end <= c for o, c in periods)]
    for moment, running in _busiest_moments(bookings):
        if len(running) > season.capacity:
            broken.append(f"at {moment:%Y-%m-%d %H:%M} {len(running)} bookings run at once, more than the "
                          f"capacity of {season.capacity}: {', '.join(sorted(b.producer_id for b in running))}")
        producers = [b.producer_id for b in running]
        broken += [f"{p} is booked twice at {moment:%Y-%m-%d %H:%M}" for p in sorted(set(producers))
                   if producers.count(p) > 1]
    return tuple(broken)


def _busiest_moments(bookings: Iterable[SpaceBooking]) -> list[tuple[datetime, list[SpaceBooking]]]:
    """Each booking's start with the bookings running then; the most at once is always reached at some start."""
    ordered = sorted(bookings)
    return [(t, [o for o in ordered if o.start <= t < o.end]) for t in sorted({b.start for b in ordered})]


def _said(booking: SpaceBooking) -> str:
    return f"{booking.producer_id}'s booking {booking.start:%Y-%m-%d %H:%M}–{booking.end:%H:%M}"
