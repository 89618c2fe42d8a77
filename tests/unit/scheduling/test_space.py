"""The pop-up space is allocated to accepted producers without double booking: first come first served while
everyone fits, fairly by the solver when they compete; producers release and swap bookings."""

from datetime import date, datetime, time, timedelta
from random import Random

import pytest

from koos_scheduling.domain.errors import ScheduleRefused
from koos_scheduling.domain.solving import SolveLimits
from koos_scheduling.domain.space import Interval, Opening, Producer, Season, SpaceBooking, check_season
from koos_scheduling.domain.space_allocation import allocate, first_come_first_served
from koos_scheduling.domain.space_changes import release, swap

FAST = SolveLimits(time_limit_s=5.0, relative_gap=0.0, workers=1)
SPRING = Season(date(2027, 4, 1), date(2027, 5, 31),
                tuple(Opening(day, time(12), time(18)) for day in (2, 3, 4, 5)),
                closed_days=frozenset({date(2027, 5, 1)}))


def on(day: str, start: str, end: str) -> Interval:
    return Interval(datetime.fromisoformat(f"{day} {start}"), datetime.fromisoformat(f"{day} {end}"))


def booking(producer: str, day: str, start: str, end: str) -> SpaceBooking:
    span = on(day, start, end)
    return SpaceBooking(span.start, span.end, producer)


def producer(producer_id: str, *available: Interval, hours: int = 2, wanted: int = 1) -> Producer:
    return Producer(producer_id, available, timedelta(hours=hours), wanted)


def test_without_competition_producers_get_their_earliest_times_first_come_first_served() -> None:
    producers = [producer("lukupiiri", on("2027-04-07", "10:00", "16:00"), wanted=2),
                 producer("kuoro", on("2027-04-07", "12:00", "18:00"))]

    allocation = allocate(SPRING, producers, FAST)

    assert allocation.method == "first_come_first_served" and allocation.unserved == ()
    assert allocation.bookings == (booking("lukupiiri", "2027-04-07", "12:00", "14:00"),
                                   booking("lukupiiri", "2027-04-07", "14:00", "16:00"),
                                   booking("kuoro", "2027-04-07", "16:00", "18:00"))


def test_when_producers_compete_everyone_gets_one_slot_before_anyone_gets_two() -> None:
    wednesday = on("2027-04-07", "12:00", "16:00")
    producers = [producer("lukupiiri", wednesday, wanted=2), producer("kuoro", wednesday)]

    first_come = first_come_first_served(SPRING, producers)
    allocation = allocate(SPRING, producers, FAST)

    assert [b.producer_id for b in first_come.bookings] == ["lukupiiri", "lukupiiri"]
    assert allocation.method == "solver"
    assert sorted(b.producer_id for b in allocation.bookings) == ["kuoro", "lukupiiri"]
    assert [(u.producer_id, u.missing, u.code) for u in allocation.unserved] == [("lukupiiri", 1, "taken")]
    assert check_season(SPRING, allocation.bookings) == ()


def test_the_solver_serves_as_many_producers_as_the_times_allow() -> None:
    producers = [producer("a", on("2027-04-07", "13:00", "18:00"), hours=3),
                 producer("b", on("2027-04-07", "12:00", "15:00"), hours=3),
                 producer("c", on("2027-04-07", "15:00", "18:00"), hours=3)]

    first_come = first_come_first_served(SPRING, producers)
    allocation = allocate(SPRING, producers, FAST)

    assert [b.producer_id for b in first_come.bookings] == ["a"]
    assert sorted(b.producer_id for b in allocation.bookings) == ["b", "c"]


def test_a_space_for_two_at_a_time_takes_two_but_never_three() -> None:
    roomy = Season(SPRING.first_day, SPRING.last_day, SPRING.hours, capacity=2)
    wednesday = on("2027-04-07", "12:00", "14:00")
    producers = [producer(name, wednesday) for name in ("a", "b", "c")]

    allocation = allocate(roomy, producers, FAST)

    assert len(allocation.bookings) == 2 and check_season(roomy, allocation.bookings) == ()
    assert check_season(roomy, [booking(n, "2027-04-07", "12:00", "14:00") for n in "abc"])


def test_a_producer_free_only_when_the_space_is_closed_is_told_no_time_matches() -> None:
    closed_monday = on("2027-04-05", "12:00", "18:00")
    may_day = on("2027-05-01", "12:00", "18:00")

    allocation = allocate(SPRING, [producer("a", closed_monday, may_day)], FAST)

    assert [(u.producer_id, u.code) for u in allocation.unserved] == [("a", "no_matching_time")]


def test_the_season_check_names_double_bookings_times_outside_opening_hours_and_a_producer_booked_twice() -> None:
    bookings = [booking("a", "2027-04-07", "12:00", "14:00"), booking("b", "2027-04-07", "13:00", "15:00"),
                booking("c", "2027-04-05", "12:00", "13:00"), booking("a", "2027-04-07", "13:30", "14:30")]

    broken = check_season(SPRING, bookings)

    assert "c's booking 2027-04-05 12:00–13:00 is outside the opening hours" in broken
    assert "at 2027-04-07 13:00 2 bookings run at once, more than the capacity of 1: a, b" in broken
    assert "a is booked twice at 2027-04-07 13:30" in broken


@pytest.mark.parametrize("seed", range(3))
def test_a_whole_season_of_competing_producers_is_never_double_booked(seed: int) -> None:
    rng = Random(seed)
    days = [SPRING.first_day + timedelta(days=n) for n in range(0, 28)]
    producers = [producer(f"p{n}", *(on(d.isoformat(), "11:00", "19:00") for d in rng.sample(days, 3)),
                          hours=rng.choice((2, 3)), wanted=rng.randint(1, 3)) for n in range(8)]

    allocation = allocate(SPRING, producers, FAST)

    assert check_season(SPRING, allocation.bookings) == ()
    for p in producers:
        mine = [b for b in allocation.bookings if b.producer_id == p.producer_id]
        assert len(mine) <= p.wanted and all(any(i.holds(b.start, b.end) for i in p.available) for b in mine)


def test_a_producer_releases_their_own_booking_but_not_anyone_elses() -> None:
    mine, theirs = booking("a", "2027-04-07", "12:00", "14:00"), booking("b", "2027-04-07", "14:00", "16:00")

    assert release([mine, theirs], "a", mine) == (theirs,)
    with pytest.raises(ScheduleRefused, match="a may release only their own bookings"):
        release([mine, theirs], "a", theirs)


def test_two_producers_who_both_agree_swap_their_bookings() -> None:
    wednesday, thursday = booking("a", "2027-04-07", "12:00", "14:00"), booking("b", "2027-04-08", "15:00", "18:00")

    swapped = swap(SPRING, [wednesday, thursday], wednesday, thursday, agreed={"a", "b"})

    assert swapped == (booking("b", "2027-04-07", "12:00", "14:00"), booking("a", "2027-04-08", "15:00", "18:00"))
    with pytest.raises(ScheduleRefused, match="b has not agreed"):
        swap(SPRING, [wednesday, thursday], wednesday, thursday, agreed={"a"})


def test_a_swap_that_would_book_a_producer_twice_at_once_is_refused() -> None:
    roomy = Season(SPRING.first_day, SPRING.last_day, SPRING.hours, capacity=2)
    a_early, a_late = booking("a", "2027-04-07", "12:00", "14:00"), booking("a", "2027-04-07", "15:00", "17:00")
    b_overlapping = booking("b", "2027-04-07", "13:00", "15:00")

    with pytest.raises(ScheduleRefused, match="a is booked twice at 2027-04-07 13:00"):
        swap(roomy, [a_early, a_late, b_overlapping], a_late, b_overlapping, agreed={"a", "b"})
