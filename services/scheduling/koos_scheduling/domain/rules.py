"""Rules a programme's schedule must keep."""

from collections.abc import Sequence
from datetime import date
from itertools import combinations

from koos_scheduling.domain.errors import ScheduleRefused
from koos_scheduling.domain.session import Session


def check_schedule(sessions: Sequence[Session], starts_on: date, ends_on: date, time_zone: str) -> None:
    """Refuse duplicate ids, sessions outside the programme dates, and overlaps in one venue."""
    if ends_on < starts_on:
        raise ScheduleRefused(f"the programme ends on {ends_on}, before it starts on {starts_on}")
    _check_unique_ids(sessions)
    for session in sessions:
        _check_within_dates(session, starts_on, ends_on, time_zone)
    _check_no_overlap_in_venue([s for s in sessions if s.is_active])


def _check_unique_ids(sessions: Sequence[Session]) -> None:
    seen: set[str] = set()
    for session in sessions:
        if session.session_id in seen:
            raise ScheduleRefused(f"session id {session.session_id} is used twice")
        seen.add(session.session_id)


def _check_within_dates(session: Session, starts_on: date, ends_on: date, time_zone: str) -> None:
    day = session.local_date(time_zone)
    if not starts_on <= day <= ends_on:
        raise ScheduleRefused(
            f"session {session.session_id} on {day} is outside the programme dates {starts_on} to {ends_on}"
        )


def _check_no_overlap_in_venue(sessions: Sequence[Session]) -> None:
    for first, second in combinations(sessions, 2):
        if first.same_venue(second) and first.overlaps(second):
            raise ScheduleRefused(
                f"sessions {first.session_id} and {second.session_id} overlap at {first.venue.name}"
            )
