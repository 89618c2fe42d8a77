"""Builders of realistic messages for tests, after the courses in DOMAIN.md."""

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from uuid import UUID, uuid4
from zoneinfo import ZoneInfo

from koos_contracts.registration import SeatsChanged
from koos_contracts.scheduling import (
    EditionPublished,
    FeedbackQuestion,
    PublishEdition,
    ScheduledSession,
    SessionPlan,
)
from koos_contracts.values import Person, Venue

CITY_HALL = Venue(name="Rådhuset, møterom 3", address="Rådhusplassen 1", city="Oslo")
LIBRARY = Venue(name="Deichman Bjørvika", address="Anne-Cath. Vestlys plass 1", city="Oslo")


def open_course(edition_id: UUID | None = None, *, first_day: date | None = None, capacity: int = 30,
                **changes: Any) -> PublishEdition:
    """A three-session Norwegian course, 09:00-12:00 a week apart, registration open now."""
    day = first_day or (datetime.now(UTC) + timedelta(days=30)).date()
    sessions = tuple(
        SessionPlan(session_id=f"s{i + 1}", date=day + timedelta(days=7 * i), start=time(9), end=time(12),
                    venue=CITY_HALL)
        for i in range(3)
    )
    fields: dict[str, Any] = {
        "edition_id": edition_id or uuid4(),
        "title": {"nb": "Introduksjon til tjenestedesign", "en": "Introduction to service design"},
        "description": {"nb": "Et kurs for alle ansatte i kommunen."},
        "timezone": "Europe/Oslo",
        "starts_on": day,
        "ends_on": day + timedelta(days=14),
        "capacity": capacity,
        "registration_opens_at": datetime.now(UTC) - timedelta(days=1),
        "registration_closes_at": datetime.combine(day, time(0), tzinfo=UTC),
        "sessions": sessions,
        "feedback_questions": (
            FeedbackQuestion(key="overall", text={"nb": "Hvor nyttig var kurset?", "en": "How useful was it?"}),
            FeedbackQuestion(key="methods", text={"nb": "Metodene", "en": "The methods"}),
        ),
    }
    return PublishEdition(**{**fields, **changes})


def person(n: int, language: str = "nb") -> Person:
    """A participant with a Nordic name."""
    names = ["Åse Ødegård", "Jüri Õunapuu", "Päivi Hämäläinen", "Bjørn Dæhlie", "Šarlote Žukova"]
    return Person(email=f"participant{n}@kommune.example", name=f"{names[n % len(names)]} {n}",
                  language=language)


def published(plan: PublishEdition) -> EditionPublished:
    """The EditionPublished event scheduling makes of a plan (for tests that impersonate scheduling)."""
    zone = ZoneInfo(plan.timezone)
    sessions = tuple(
        ScheduledSession(session_id=s.session_id, title=s.title, venue=s.venue,
                         starts_at=datetime.combine(s.date, s.start, tzinfo=zone),
                         ends_at=datetime.combine(s.date, s.end, tzinfo=zone))
        for s in plan.sessions
    )
    return EditionPublished(**plan.model_dump(exclude={"sessions"}), sessions=sessions)


def opened(plan: PublishEdition) -> SeatsChanged:
    """The count registration publishes when it learns an edition: its seats are open (for tests that play it)."""
    return SeatsChanged(edition_id=plan.edition_id, capacity=plan.capacity, taken=0, in_line=0, sequence=0)


def soon(starts_in_minutes: int, lasts_minutes: int = 60, *, sessions: int = 1, capacity: int = 30,
         reminder_minutes: tuple[int, ...] = (2880,), extra_days: int = 7) -> PublishEdition:
    """A course whose first session starts some minutes from now (in a zone where it ends the same day)."""
    zone = next(z for z in (ZoneInfo("Europe/Oslo"), ZoneInfo("Asia/Tokyo"), ZoneInfo("America/New_York"))
                if _fits_in_a_day(z, starts_in_minutes, lasts_minutes + 2))
    local_now = datetime.now(zone).replace(second=0, microsecond=0) + timedelta(minutes=1)
    start = local_now + timedelta(minutes=starts_in_minutes)
    end = start + timedelta(minutes=lasts_minutes)
    plans = tuple(
        SessionPlan(session_id=f"s{i + 1}", date=start.date() + timedelta(days=extra_days * i), start=start.time(),
                    end=end.time(), venue=CITY_HALL)
        for i in range(sessions)
    )
    return open_course(first_day=start.date(), capacity=capacity, timezone=str(zone.key),
                       ends_on=start.date() + timedelta(days=extra_days * sessions),
                       registration_closes_at=datetime.now(UTC) + timedelta(hours=6),
                       sessions=plans, reminder_offsets_minutes=reminder_minutes)


def _fits_in_a_day(zone: ZoneInfo, starts_in_minutes: int, lasts_minutes: int) -> bool:
    start = datetime.now(zone) + timedelta(minutes=starts_in_minutes)
    return (start + timedelta(minutes=lasts_minutes)).date() == start.date()
