"""Moving one confirmed counselling session while changing as little as possible for everyone else.

The team or the trainer of a confirmed session asks to move it and names the slots they can no longer make (the
session's own slots always count among them). The problem is solved again with:
- the requester's free slots less those slots;
- every team's entitlement capped at the sessions it has confirmed, so a re-plan never adds sessions — nobody's
  session is moved to make room for a new one;
- round 2 rewarding each other confirmed session kept in place with more than any preference score can give, so
  other sessions move only when the requested one cannot be booked again otherwise (round 1 books as many
  of the confirmed sessions as it can, so moving one other session to fit the requested one wins over dropping it).
The answer lists every change: the requested session first, then any other session that had to move.
"""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import zip_longest

from koos_scheduling.domain.counselling import Booking, CounsellingPlan, CounsellingProblem
from koos_scheduling.domain.counselling_solver import solve
from koos_scheduling.domain.errors import ScheduleRefused
from koos_scheduling.domain.solving import DEFAULT_LIMITS, SolveLimits


@dataclass(frozen=True)
class MoveRequest:
    """`requested_by` is the id of the session's team or trainer."""

    booking: Booking
    requested_by: str
    cannot_make: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Change:
    """A confirmed session and where it went; `after` is None when it could not be booked again."""

    before: Booking
    after: Booking | None


@dataclass(frozen=True)
class Replanned:
    plan: CounsellingPlan
    changes: tuple[Change, ...]


def replan(problem: CounsellingProblem, confirmed: Sequence[Booking], request: MoveRequest,
           limits: SolveLimits = DEFAULT_LIMITS) -> Replanned:
    session = request.booking
    if session not in confirmed:
        raise ScheduleRefused(f"team {session.team_id}'s session at slot {session.start} is not in the schedule")
    if request.requested_by not in (session.team_id, session.trainer_id):
        raise ScheduleRefused(f"only team {session.team_id} or trainer {session.trainer_id} may move their session")
    adjusted = _adjusted(problem, confirmed, request)
    keep = frozenset(confirmed) - {session}
    result = solve(adjusted, limits, keep=keep, keep_weight=1 + _best_preferences(adjusted))
    return Replanned(result, _changes(confirmed, result.bookings, session))


def _adjusted(problem: CounsellingProblem, confirmed: Sequence[Booking], request: MoveRequest) -> CounsellingProblem:
    blocked = request.cannot_make | set(request.booking.slots)
    sessions = Counter(b.team_id for b in confirmed)
    teams = tuple(replace(t, entitlement=min(t.entitlement, sessions[t.team_id]),
                          available=t.available - blocked if t.team_id == request.requested_by else t.available)
                  for t in problem.teams)
    trainers = tuple(replace(t, available=t.available - blocked) if t.trainer_id == request.requested_by else t
                     for t in problem.trainers)
    return replace(problem, teams=teams, trainers=trainers)


def _best_preferences(problem: CounsellingProblem) -> int:
    """More than moving sessions could ever gain in preference score."""
    best: dict[str, int] = {}
    for option in problem.options:
        best[option.team_id] = max(best.get(option.team_id, 0), abs(problem.score(option)))
    return 2 * sum(best.get(t.team_id, 0) * t.entitlement for t in problem.teams)


def _changes(confirmed: Sequence[Booking], planned: Sequence[Booking], requested: Booking) -> tuple[Change, ...]:
    before, after = set(confirmed), set(planned)
    changes = []
    for team_id in dict.fromkeys(b.team_id for b in confirmed):
        gone = sorted(b for b in before - after if b.team_id == team_id)
        new = sorted(b for b in after - before if b.team_id == team_id)
        changes += [Change(old, moved) for old, moved in zip_longest(gone, new) if old is not None]
    return tuple(sorted(changes, key=lambda c: c.before != requested))
