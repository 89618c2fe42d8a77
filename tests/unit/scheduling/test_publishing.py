"""An organiser publishes an edition; plans that break the rules are refused with a reason."""

from datetime import UTC, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from koos_contracts.scheduling import EditionPublicationRefused, EditionPublished, EditionUnchanged, SessionPlan
from koos_kit.events import EventFactory
from koos_scheduling.service_layer import handlers
from koos_scheduling.service_layer.handlers import Ports
from tests.builders import CITY_HALL, LIBRARY, open_course
from tests.fakes import FixedClock, RecordingReplies, envelope_for
from tests.unit.scheduling.fakes import FakeEditionRepository


@pytest.fixture
def ports() -> Ports:
    return Ports(FakeEditionRepository(), RecordingReplies(), FixedClock(), EventFactory("/koos/scheduling"))


def stored(ports: Ports) -> list[object]:
    from koos_contracts import parse

    return [parse(e) for e in ports.editions.stored_events]  # type: ignore[attr-defined]


def refusals(ports: Ports) -> list[str]:
    return [m.reason for m in ports.replies.messages(EditionPublicationRefused)]  # type: ignore[attr-defined]


async def test_a_valid_plan_is_published_with_absolute_session_times(ports: Ports) -> None:
    plan = open_course()
    await handlers.publish_edition(plan, envelope_for(plan), ports)

    (published,) = stored(ports)
    assert isinstance(published, EditionPublished)
    first = published.sessions[0]
    oslo = ZoneInfo("Europe/Oslo")
    assert first.starts_at.astimezone(oslo).hour == 9 and first.ends_at.astimezone(oslo).hour == 12
    assert first.starts_at.astimezone(UTC).hour in (7, 8)
    assert published.capacity == 30


async def test_a_publication_consumed_twice_publishes_once_and_answers_once(ports: Ports) -> None:
    plan = open_course()
    envelope = envelope_for(plan)
    await handlers.publish_edition(plan, envelope, ports)
    await handlers.publish_edition(plan, envelope, ports)

    assert len(stored(ports)) == 1
    assert ports.replies.envelopes == []  # type: ignore[attr-defined]


async def test_publishing_the_same_plan_again_is_answered_unchanged(ports: Ports) -> None:
    plan = open_course()
    await handlers.publish_edition(plan, envelope_for(plan), ports)
    again = envelope_for(plan)
    await handlers.publish_edition(plan, again, ports)

    assert len(stored(ports)) == 1
    (reply,) = ports.replies.envelopes  # type: ignore[attr-defined]
    assert reply.type == EditionUnchanged.ce_type() and reply.causationid == again.id


async def test_another_plan_under_a_published_id_is_refused(ports: Ports) -> None:
    plan = open_course()
    await handlers.publish_edition(plan, envelope_for(plan), ports)
    changed = plan.model_copy(update={"capacity": 99})
    await handlers.publish_edition(changed, envelope_for(changed), ports)

    assert refusals(ports) == ["an edition with this id is published already"]


async def test_a_session_outside_the_programme_dates_is_refused(ports: Ports) -> None:
    plan = open_course()
    late = plan.sessions[2].model_copy(update={"date": plan.ends_on + timedelta(days=1)})
    bad = plan.model_copy(update={"sessions": (*plan.sessions[:2], late)})
    await handlers.publish_edition(bad, envelope_for(bad), ports)

    (reason,) = refusals(ports)
    assert "session s3" in reason and "outside the programme dates" in reason
    assert stored(ports) == []


async def test_overlapping_sessions_in_one_venue_are_refused(ports: Ports) -> None:
    plan = open_course()
    clash = SessionPlan(session_id="s4", date=plan.sessions[0].date, start=time(11), end=time(13), venue=CITY_HALL)
    bad = plan.model_copy(update={"sessions": (*plan.sessions, clash)})
    await handlers.publish_edition(bad, envelope_for(bad), ports)

    assert refusals(ports) == [f"sessions s1 and s4 overlap at {CITY_HALL.name}"]


async def test_the_same_hours_in_another_venue_are_allowed(ports: Ports) -> None:
    plan = open_course()
    elsewhere = SessionPlan(session_id="s4", date=plan.sessions[0].date, start=time(9), end=time(12), venue=LIBRARY)
    good = plan.model_copy(update={"sessions": (*plan.sessions, elsewhere)})
    await handlers.publish_edition(good, envelope_for(good), ports)

    assert refusals(ports) == []
    assert len(stored(ports)[0].sessions) == 4  # type: ignore[attr-defined]


async def test_a_window_that_closes_before_it_opens_is_refused(ports: Ports) -> None:
    plan = open_course()
    bad = plan.model_copy(update={"registration_closes_at": plan.registration_opens_at - timedelta(hours=1)})
    await handlers.publish_edition(bad, envelope_for(bad), ports)

    assert refusals(ports) == ["registration must close after it opens"]


def test_a_session_that_ends_before_it_starts_is_invalid_input() -> None:
    with pytest.raises(ValueError, match="ends at 09:00, not after it starts at 12:00"):
        SessionPlan(session_id="s1", date=open_course().starts_on, start=time(12), end=time(9), venue=CITY_HALL)


def test_an_unknown_language_is_invalid_input() -> None:
    with pytest.raises(ValueError, match="title"):
        open_course(title={"de": "Einführung"})
