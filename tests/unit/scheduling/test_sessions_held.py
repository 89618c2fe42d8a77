"""An organiser marks a session held, or closes the course early, so the survey need not wait for the clock."""

from datetime import UTC, date, datetime

import pytest

from koos_contracts import parse
from koos_contracts.scheduling import MarkSessionHeld, ScheduleChangeRefused, SessionCancelled, SessionEnded
from koos_kit.events import EventFactory
from koos_scheduling.service_layer import handlers
from koos_scheduling.service_layer.handlers import Ports
from tests.builders import open_course
from tests.fakes import FixedClock, RecordingReplies, envelope_for
from tests.unit.scheduling.fakes import FakeEditionRepository

FIRST_DAY = date(2027, 5, 23)


@pytest.fixture
def ports() -> Ports:
    clock = FixedClock(datetime(2027, 5, 22, 12, 0, tzinfo=UTC))
    return Ports(FakeEditionRepository(), RecordingReplies(), clock, EventFactory("/koos/scheduling"))


async def published(ports: Ports) -> str:
    plan = open_course(first_day=FIRST_DAY)
    await handlers.publish_edition(plan, envelope_for(plan), ports)
    ports.editions.stored_events.clear()  # type: ignore[attr-defined]
    return str(plan.edition_id)


async def mark(ports: Ports, edition_id: str, session_id: str, closes: bool = False) -> str:
    command = MarkSessionHeld(edition_id=edition_id, session_id=session_id, closes_edition=closes)  # type: ignore[arg-type]
    envelope = envelope_for(command)
    await handlers.mark_session_held(command, envelope, ports)
    return envelope.id


def events(ports: Ports) -> list[object]:
    return [parse(e) for e in ports.editions.stored_events]  # type: ignore[attr-defined]


def refusals(ports: Ports) -> list[str]:
    return [m.reason for m in ports.replies.messages(ScheduleChangeRefused)]  # type: ignore[attr-defined]


async def test_the_last_session_marked_held_ends_the_course_and_answers_the_command(ports: Ports) -> None:
    edition_id = await published(ports)
    ports.clock.advance(days=14)  # type: ignore[attr-defined]
    command_id = await mark(ports, edition_id, "s3")

    ended = events(ports)
    assert [(e.session_id, e.last_of_edition) for e in ended] == [("s1", False), ("s2", False), ("s3", True)]
    assert all(isinstance(e, SessionEnded) and e.ended_at == ports.clock.now() for e in ended)
    causes = {e.causationid for e in ports.editions.stored_events}  # type: ignore[attr-defined]
    assert causes == {command_id}


async def test_a_session_more_than_a_day_ahead_cannot_be_marked_held(ports: Ports) -> None:
    edition_id = await published(ports)
    await mark(ports, edition_id, "s2")

    (reason,) = refusals(ports)
    assert "s2" in reason and "more than a day from now" in reason
    assert events(ports) == []


async def test_closing_the_course_early_cancels_the_later_sessions_and_makes_this_one_the_last(ports: Ports) -> None:
    edition_id = await published(ports)
    await mark(ports, edition_id, "s1", closes=True)

    cancelled = [e for e in events(ports) if isinstance(e, SessionCancelled)]
    ended = [e for e in events(ports) if isinstance(e, SessionEnded)]
    assert [e.session_id for e in cancelled] == ["s2", "s3"]
    assert [(e.session_id, e.last_of_edition) for e in ended] == [("s1", True)]


async def test_a_session_the_clock_ended_can_still_close_the_course_but_not_end_again(ports: Ports) -> None:
    edition_id = await published(ports)
    ports.clock.advance(days=1, hours=2)  # type: ignore[attr-defined]
    await handlers.end_sessions_due(ports)
    ports.editions.stored_events.clear()  # type: ignore[attr-defined]

    await mark(ports, edition_id, "s1")
    assert refusals(ports) == ["session s1 has ended already"]

    await mark(ports, edition_id, "s1", closes=True)
    assert [(e.session_id, e.last_of_edition) for e in events(ports) if isinstance(e, SessionEnded)] == [("s1", True)]


async def test_an_unknown_or_cancelled_session_is_refused_with_the_reason(ports: Ports) -> None:
    edition_id = await published(ports)
    await mark(ports, edition_id, "s9")
    ports.clock.advance(days=14)  # type: ignore[attr-defined]
    await mark(ports, edition_id, "s1", closes=True)
    await mark(ports, edition_id, "s3")

    assert refusals(ports) == ["edition has no session s9", "session s3 is cancelled"]

