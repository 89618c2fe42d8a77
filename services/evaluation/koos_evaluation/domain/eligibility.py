"""Whether an answer may be taken, and if not, why, in words a person can read."""

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime

from koos_evaluation.domain.survey import Survey

NO_SURVEY = "there is no feedback survey for this edition in your organisation"
NOT_OPEN_YET = "the survey opens after the last session of the edition"
ANSWERED_ALREADY = "this person has answered the survey already; each participant answers once"
NOT_A_PARTICIPANT = "only participants of the edition can answer its survey"
CANCELLED = "this person's registration was cancelled; only participants can answer the survey"


def why_refused(survey: Survey | None, organisation_id: str, person_id: str, ratings: Mapping[str, int],
                now: datetime, answered: bool) -> str | None:
    """The reason an answer is refused, or None if it may be taken. Every question must be rated."""
    if survey is None or survey.organisation_id != organisation_id:
        return NO_SURVEY
    return (_timing(survey, now) or (ANSWERED_ALREADY if answered else None)
            or _membership(survey, person_id) or _ratings(survey, ratings))


def _timing(survey: Survey, now: datetime) -> str | None:
    if not survey.is_open or survey.closes_at is None:
        return NOT_OPEN_YET
    if now >= survey.closes_at:
        return f"the survey closed at {survey.closes_at.astimezone(UTC):%Y-%m-%d %H:%M} UTC"
    return None


def _membership(survey: Survey, person_id: str) -> str | None:
    if survey.roster.includes(person_id):
        return None
    return CANCELLED if survey.roster.withdrew(person_id) else NOT_A_PARTICIPANT


def _ratings(survey: Survey, ratings: Mapping[str, int]) -> str | None:
    keys = [q.key for q in survey.questions]
    unknown = sorted(set(ratings) - set(keys))
    if unknown:
        return f"the survey has no question {_listed(unknown)}"
    missing = [key for key in keys if key not in ratings]
    if missing:
        return f"every question needs a rating from 1 to 5; not rated: {_listed(missing)}"
    return None


def _listed(keys: Iterable[str]) -> str:
    return ", ".join(f"'{key}'" for key in keys)
