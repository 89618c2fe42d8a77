"""Monthly mentoring sessions planned by the counselling solver: one a month per institution, with its mentor."""

from collections import Counter
from datetime import date

from koos_scheduling.domain.mentoring_sessions import Pair, monthly_sessions


def test_each_institution_meets_only_its_mentor_once_a_month_and_no_mentor_is_double_booked() -> None:
    pairs = [Pair(f"application-{n}", f"muuseum-{n}", f"mentor-{n % 2}") for n in range(5)]

    sessions, answer = monthly_sessions(pairs, date(2027, 3, 15), 6, "Europe/Tallinn")

    assert not answer.unmet and len(sessions) == 5 * 6
    mentor_of = {p.application_id: p.mentor_id for p in pairs}
    assert all(s.mentor_id == mentor_of[s.application_id] for s in sessions)
    months = Counter((s.application_id, (s.starts_at.year, s.starts_at.month)) for s in sessions)
    assert set(months.values()) == {1}
    assert {m for _, m in months} == {(2027, m) for m in range(4, 10)}
    assert len({(s.mentor_id, s.starts_at) for s in sessions}) == len(sessions)
    assert all(s.starts_at.utcoffset() is not None and 10 <= s.starts_at.hour < 16 for s in sessions)
