"""Counselling is planned from everybody's free time: entitled sessions booked, nobody double-booked, limits kept,
preferences met, and what cannot be booked reported with a reason an organiser can act on."""

from koos_scheduling.domain.counselling import Booking, Preference
from koos_scheduling.domain.counselling_greedy import first_fit
from koos_scheduling.domain.counselling_ledger import check_plan
from koos_scheduling.domain.counselling_solver import plan
from koos_scheduling.domain.slot_grid import Limit
from tests.unit.scheduling.counselling_builders import FAST, GRID, at, busy_half, free, half, team, trainer


def test_every_team_gets_its_entitled_sessions_when_there_is_room_and_the_plan_keeps_every_rule() -> None:
    problem = busy_half()

    result = plan(problem, FAST)

    assert result.booked == 12 and result.unmet == ()
    assert check_plan(problem, result.bookings) == ()
    assert result.optimal and result.gap == 0.0


def test_nobody_is_double_booked_when_two_teams_want_the_trainers_only_hour() -> None:
    problem = half([trainer("mari", free(0, "10:00", "11:00"))],
                   [team("a", free(0)), team("b", free(0))])

    result = plan(problem, FAST)

    assert len(result.bookings) == 1
    (unmet,) = result.unmet
    assert unmet.code == "times_taken" and "week 1" in unmet.reason
    assert check_plan(problem, [*result.bookings, Booking(unmet.team_id, "mari", result.bookings[0].start, 2)])


def test_sessions_may_start_on_the_half_hour_but_never_overlap_for_a_trainer() -> None:
    problem = half([trainer("mari", free(0, "10:00", "11:30"))], [team("a", free(0)), team("b", free(0))])

    (booked,) = plan(problem, FAST).bookings

    assert at(booked.start) in ("Mon 10:00", "Mon 10:30")


def test_a_trainer_never_counsels_a_team_with_a_member_of_their_own_organisation() -> None:
    problem = half([trainer("mari", free(0), organisation="linnavalitsus")],
                   [team("a", free(0), organisations=("mtü", "linnavalitsus")), team("b", free(0))])

    result = plan(problem, FAST)

    assert [b.team_id for b in result.bookings] == ["b"]
    assert result.unmet[0].code == "no_eligible_trainer"


def test_a_declared_conflict_keeps_a_trainer_from_a_team() -> None:
    problem = half([trainer("mari", free(0)), trainer("jaan", free(3))], [team("a", free(0) | free(3))],
                   conflicts=frozenset({("mari", "a")}))

    (booked,) = plan(problem, FAST).bookings

    assert booked.trainer_id == "jaan"


def test_a_trainers_weekly_capacity_is_kept_and_named_when_it_runs_out() -> None:
    problem = half([trainer("mari", free(0) | free(1), limits=(Limit("week", 1),))],
                   [team("a", free(0)), team("b", free(1))])

    result = plan(problem, FAST)

    assert result.booked == 1
    assert result.unmet[0].code == "capacity_used_up"
    assert result.unmet[0].reason == "the trainers' capacity is used up in week 1, when the team and they are free"


def test_a_team_has_one_session_a_day_unless_the_organiser_allows_more() -> None:
    trainers = [trainer("mari", free(0))]
    one_day = [team("a", free(0), entitlement=2)]

    default = plan(half(trainers, one_day), FAST)
    relaxed = plan(half(trainers, one_day, team_limits=()), FAST)

    assert default.booked == 1 and default.unmet[0].code == "too_few_periods"
    assert "only 1 day(s)" in default.unmet[0].reason
    assert relaxed.booked == 2 and check_plan(half(trainers, one_day, team_limits=()), relaxed.bookings) == ()
    first, second = sorted(relaxed.bookings)
    assert second.start >= first.start + 2


def test_every_team_gets_its_first_session_before_any_team_gets_its_second() -> None:
    problem = half([trainer("mari", free(0, "09:00", "10:00") | free(1, "09:00", "10:00"))],
                   [team("a", free(0) | free(1), entitlement=2), team("b", free(0) | free(1), entitlement=2)])

    result = plan(problem, FAST)

    assert sorted(b.team_id for b in result.bookings) == ["a", "b"]
    assert [(u.team_id, u.missing) for u in result.unmet] == [("a", 1), ("b", 1)]


def test_the_solver_meets_preferences_that_first_fit_ignores() -> None:
    mornings = free(0, "09:00", "12:00") | free(1, "09:00", "12:00")
    problem = half([trainer("mari", free(0)), trainer("jaan", free(1))],
                   [team("a", free(0) | free(1), preferences=(Preference(3, trainer_id="jaan"),)),
                    team("b", free(0) | free(1), preferences=(Preference(1, slots=free(0, "14:00", "17:00")),))])

    solved, greedy = plan(problem, FAST), first_fit(problem)

    assert {(b.team_id, b.trainer_id) for b in solved.bookings} == {("a", "jaan"), ("b", "mari")}
    assert all(b.start not in mornings for b in solved.bookings if b.team_id == "b")
    assert solved.preference_score == 4 > greedy.preference_score
    assert greedy.booked == solved.booked == 2


def test_a_team_without_common_free_time_is_told_which_weeks_it_was_free() -> None:
    problem = half([trainer("mari", free(0))], [team("a", free(5) | free(7))])

    (unmet,) = plan(problem, FAST).unmet

    assert unmet.code == "no_common_time"
    assert unmet.reason == "no common free time of 60 minutes with any trainer in week 2, when the team is free"


def test_a_team_free_for_less_than_a_session_has_no_common_time() -> None:
    problem = half([trainer("mari", free(0))], [team("a", free(0, "12:00", "12:30") | free(0, "13:00", "13:30"))])

    assert plan(problem, FAST).unmet[0].code == "no_common_time"


def test_first_fit_takes_the_earliest_free_session_with_the_first_free_trainer() -> None:
    problem = half([trainer("mari", free(1)), trainer("jaan", free(0, "13:00", "17:00"))],
                   [team("a", free(0) | free(1)), team("b", free(0, "13:00", "15:00"))])

    result = first_fit(problem)

    assert [(b.team_id, b.trainer_id, at(b.start)) for b in result.bookings] == [
        ("a", "jaan", "Mon 13:00"), ("b", "jaan", "Mon 14:00")]
    assert result.status == "first_fit" and not result.optimal and result.gap is None


def test_sessions_never_run_over_the_end_of_a_working_day() -> None:
    starts = GRID.session_starts(2)

    assert all(at(s + 1) != "Tue 09:00" for s in starts)
    assert len(starts) == 10 * 15


def test_a_plan_that_double_books_a_trainer_is_caught_by_the_check() -> None:
    problem = half([trainer("mari", free(0))], [team("a", free(0)), team("b", free(0))])

    broken = check_plan(problem, [Booking("a", "mari", 0, 2), Booking("b", "mari", 1, 2)])

    assert broken == ("the session of team b with trainer mari at 2016-03-07 09:30: "
                      "the trainer is already booked then",)


def test_a_team_that_lost_its_only_common_day_to_another_is_told_so_rather_than_that_the_day_is_too_few() -> None:
    problem = half([trainer("mari", free(0), limits=(Limit("day", 1),))],
                   [team("a", free(0)), team("b", free(0), entitlement=2)])

    (unmet,) = first_fit(problem).unmet

    assert (unmet.team_id, unmet.missing, unmet.code) == ("b", 2, "capacity_used_up")
