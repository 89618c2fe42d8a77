"""Time cut into equal slots, numbered in time order, and limits counted per day, week or month of the slots.

The counselling planners book whole slots: slot i starts at `starts[i]` (local time, no time zone — the programme's
zone is applied when sessions are published) and lasts `slot_minutes`. Slots need not be contiguous: a grid of
working days has a gap every evening, and a session of several slots never spans a gap.
"""

from collections.abc import Hashable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Literal

Period = Literal["day", "week", "month"]


@dataclass(frozen=True)
class SlotGrid:
    """Slot starts in local time, ascending; slot i lasts `slot_minutes` from `starts[i]`."""

    starts: tuple[datetime, ...]
    slot_minutes: int = 30

    @classmethod
    def working_days(cls, first_day: date, weeks: int, opens: time = time(9), closes: time = time(17),
                     slot_minutes: int = 30) -> "SlotGrid":
        """Monday to Friday of `weeks` weeks from `first_day`, from `opens` to `closes`."""
        days = [first_day + timedelta(days=d) for d in range(7 * weeks)]
        per_day = (closes.hour * 60 + closes.minute - opens.hour * 60 - opens.minute) // slot_minutes
        starts = [datetime.combine(day, opens) + timedelta(minutes=slot_minutes * i)
                  for day in days if day.weekday() < 5 for i in range(per_day)]
        return cls(tuple(starts), slot_minutes)

    def day(self, slot: int) -> date:
        return self.starts[slot].date()

    def week(self, slot: int) -> int:
        """1 for the week (Monday to Sunday) of the first slot, 2 for the next, …"""
        monday = self.day(0) - timedelta(days=self.day(0).weekday())
        return (self.day(slot) - monday).days // 7 + 1

    def period(self, slot: int, per: Period) -> Hashable:
        day = self.day(slot)
        return day if per == "day" else day.isocalendar()[:2] if per == "week" else (day.year, day.month)

    def session_starts(self, length: int) -> tuple[int, ...]:
        """Slots where `length` consecutive slots of one day begin."""
        step = timedelta(minutes=self.slot_minutes)
        return tuple(s for s in range(len(self.starts) - length + 1)
                     if self.starts[s + length - 1] - self.starts[s] == step * (length - 1))


@dataclass(frozen=True)
class Limit:
    """At most `most` sessions per day, week or month."""

    per: Period
    most: int
