"""Changes producers make to their own bookings of the pop-up space: release one, or swap one with another producer.

Both are operations on the season's bookings that return the new bookings or refuse with a reason. A release frees
the time for others (a later `allocate` or a first-come booking may take it). A swap exchanges two bookings between
their producers and needs both producers' agreement; since the two time spans only change hands, the space is never
fuller than before, but a producer could end up with two bookings at once — so the result is checked with
`check_season` and refused if it breaks a rule the bookings kept before.
"""

from collections.abc import Collection, Sequence

from koos_scheduling.domain.errors import ScheduleRefused
from koos_scheduling.domain.space import Season, SpaceBooking, check_season


def release(bookings: Sequence[SpaceBooking], producer_id: str, booking: SpaceBooking) -> tuple[SpaceBooking, ...]:
    """The bookings without `booking`, which must be the producer's."""
    if booking not in bookings:
        raise ScheduleRefused(f"there is no booking of {booking.producer_id} at {booking.start:%Y-%m-%d %H:%M}")
    if booking.producer_id != producer_id:
        raise ScheduleRefused(f"{producer_id} may release only their own bookings")
    remaining = list(bookings)
    remaining.remove(booking)
    return tuple(remaining)


def swap(season: Season, bookings: Sequence[SpaceBooking], first: SpaceBooking, second: SpaceBooking,
         agreed: Collection[str]) -> tuple[SpaceBooking, ...]:
    """The bookings with `first` and `second` exchanged between their producers, who both must have agreed."""
    for booking in (first, second):
        if booking not in bookings:
            raise ScheduleRefused(f"there is no booking of {booking.producer_id} at {booking.start:%Y-%m-%d %H:%M}")
    if first.producer_id == second.producer_id:
        raise ScheduleRefused("a swap is between two producers")
    missing = [p for p in (first.producer_id, second.producer_id) if p not in agreed]
    if missing:
        raise ScheduleRefused(f"a swap needs both producers' agreement; {', '.join(missing)} has not agreed")
    exchanged = {first: SpaceBooking(first.start, first.end, second.producer_id),
                 second: SpaceBooking(second.start, second.end, first.producer_id)}
    result = tuple(sorted(exchanged.get(b, b) for b in bookings))
    before = set(check_season(season, bookings))
    broken = [problem for problem in check_season(season, result) if problem not in before]
    if broken:
        raise ScheduleRefused(f"the swap is refused: {broken[0]}")
    return result
