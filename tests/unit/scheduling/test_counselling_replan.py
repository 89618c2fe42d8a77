"""A team or a trainer asks to move a confirmed session; the solver re-plans with as little change to others as it
can, and mentoring sessions (one mentor, one a month) are planned by the same solver."""

from datetime import date

import pytest

from koos_scheduling.domain.counselling import Booking, CounsellingProblem, Preference, Team, Trainer
from koos_scheduling.domain.counselling_ledger import check_plan
from koos_scheduling.domain.counselling_replan import Change, MoveRequest, replan
from koos_scheduling.domain.counselling_solver import plan
from koos_scheduling.domain.errors import ScheduleRefused
from koos_scheduling.domain.slot_grid import Limit, SlotGrid
from tests.unit.scheduling.counselling_builders import FAST, at, busy_half, free, half, team, trainer


def test_moving_one_session_leaves_every_other_session_where_it_was() -> None:
    problem = busy_half()
    confirmed = plan(problem, FAST).bookings
    moved = next(b for b in confirmed if b.team_id == "t1")

    result = replan(problem, confirmed, MoveRequest(moved, "t1", frozenset(moved.slots)), FAST)

    (change,) = result.changes
    assert change.before == moved and change.after is not None and change.after.team_id == "t1"
    assert not set(change.after.slots) & set(moved.slots)
    assert set(result.plan.bookings) == (set(confirmed) - {moved}) | {change.after}
    assert check_plan(problem, result.plan.bookings) == ()


def test_another_session_is_moved_only_when_the_requested_one_fits_nowhere_else() -> None:
    problem = half([trainer("mari", free(0, "09:00", "11:00") | free(1, "09:00", "10:00"))],
                   [team("a", free(0)), team("b", free(0) | free(1))])
    a_first, b_second = Booking("a", "mari", 0, 2), Booking("b", "mari", 2, 2)

    result = replan(problem, [a_first, b_second], MoveRequest(a_first, "a", free(0, "09:00", "10:00")), FAST)

    assert [(c.before.team_id, at(c.before.start), at(c.after.start) if c.after else None) for c in result.changes] \
        == [("a", "Mon 09:00", "Mon 10:00"), ("b", "Mon 10:00", "Tue 09:00")]
    assert result.plan.unmet == ()


def test_a_confirmed_session_stays_put_even_when_its_team_would_like_another_time_better() -> None:
    afternoon = Preference(5, slots=free(0, "13:00", "17:00"))
    problem = half([trainer("mari", free(0))],
                   [team("a", free(0) | free(1)), team("b", free(0), preferences=(afternoon,))])
    a_first, b_second = Booking("a", "mari", 0, 2), Booking("b", "mari", 2, 2)

    result = replan(problem, [a_first, b_second], MoveRequest(a_first, "a", free(0)), FAST)

    assert b_second in result.plan.bookings
    assert [c.before for c in result.changes] == [a_first]


def test_a_session_that_fits_nowhere_is_reported_with_its_reason() -> None:
    problem = half([trainer("mari", free(0, "09:00", "11:00"))], [team("a", free(0)), team("b", free(0))])
    a_first, b_second = Booking("a", "mari", 0, 2), Booking("b", "mari", 2, 2)

    result = replan(problem, [a_first, b_second], MoveRequest(a_first, "mari"), FAST)

    assert result.changes == (Change(a_first, None),)
    assert result.plan.bookings == (b_second,)
    assert [(u.team_id, u.code) for u in result.plan.unmet] == [("a", "times_taken")]


def test_a_trainer_who_cannot_make_a_day_has_the_session_moved_off_it() -> None:
    problem = half([trainer("mari", free(0) | free(1))], [team("a", free(0) | free(1))])
    monday = Booking("a", "mari", 4, 2)

    result = replan(problem, [monday], MoveRequest(monday, "mari", free(0)), FAST)

    (change,) = result.changes
    assert change.after is not None and at(change.after.start).startswith("Tue")


def test_only_the_sessions_team_or_trainer_may_ask_to_move_it() -> None:
    problem = half([trainer("mari", free(0))], [team("a", free(0)), team("b", free(0))])
    session = Booking("a", "mari", 0, 2)

    with pytest.raises(ScheduleRefused, match="only team a or trainer mari"):
        replan(problem, [session], MoveRequest(session, "b"), FAST)
    with pytest.raises(ScheduleRefused, match="not in the schedule"):
        replan(problem, [], MoveRequest(session, "a"), FAST)


def test_mentoring_sessions_are_monthly_with_the_institutions_own_mentor() -> None:
    grid = SlotGrid.working_days(date(2016, 9, 5), weeks=13)
    everything = frozenset(range(len(grid.starts)))
    mentors = (Trainer("mentor-1", "disainibüroo", everything), Trainer("mentor-2", "ülikool", everything))
    museum = Team("muuseum", frozenset({"muuseum"}), 4, everything, limits=(Limit("month", 1),),
                  trainers=frozenset({"mentor-2"}))
    problem = CounsellingProblem(grid, mentors, (museum,), length=2)

    result = plan(problem, FAST)

    assert {b.trainer_id for b in result.bookings} == {"mentor-2"}
    assert sorted(grid.day(b.start).month for b in result.bookings) == [9, 10, 11, 12]
