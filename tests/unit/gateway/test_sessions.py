"""Organisers reschedule and cancel sessions; scheduling decides, the edition shows the change."""

from datetime import UTC, datetime, timedelta

from koos_contracts.scheduling import RescheduleSession, ScheduleChangeRefused, SessionRescheduled
from tests.builders import CITY_HALL
from tests.unit.gateway.harness import Gateway, staff

MOVE = {"date": "2030-06-04", "start": "10:00", "end": "13:00"}


def rescheduled(command: RescheduleSession) -> SessionRescheduled:
    starts = datetime.combine(command.date, command.start, tzinfo=UTC)
    return SessionRescheduled(edition_id=command.edition_id, session_id=command.session_id, starts_at=starts,
                              ends_at=starts + timedelta(hours=3), venue=CITY_HALL, previous_starts_at=starts,
                              previous_ends_at=starts, previous_venue=CITY_HALL)


async def test_a_reschedule_scheduling_accepts_is_answered_with_the_moved_session(gateway: Gateway) -> None:
    plan = await gateway.publish_edition()
    gateway.answer(lambda command: [rescheduled(command)])

    answer = await gateway.client.post(f"/v1/editions/{plan.edition_id}/sessions/s2/reschedule", json=MOVE,
                                       headers=staff())

    assert answer.status_code == 200
    session = next(s for s in answer.json()["sessions"] if s["session_id"] == "s2")
    assert session["starts_at"].startswith("2030-06-04T10:00") and session["sequence"] == 1


async def test_a_reschedule_scheduling_refuses_is_answered_422_with_its_reason(gateway: Gateway) -> None:
    plan = await gateway.publish_edition()
    gateway.answer(lambda command: [ScheduleChangeRefused(edition_id=command.edition_id, session_id="s1",
                                                          reason="session s1 has already started")])

    answer = await gateway.client.post(f"/v1/editions/{plan.edition_id}/sessions/s1/reschedule", json=MOVE,
                                       headers=staff())

    assert answer.status_code == 422
    assert answer.json()["error"]["reason"] == "session s1 has already started"


async def test_a_session_that_would_end_before_it_starts_is_refused_at_once(gateway: Gateway) -> None:
    plan = await gateway.publish_edition()

    answer = await gateway.client.post(f"/v1/editions/{plan.edition_id}/sessions/s1/reschedule",
                                       json={**MOVE, "end": "09:00"}, headers=staff())

    assert answer.status_code == 422
    assert "not after it starts" in answer.json()["error"]["reason"]
    assert gateway.bus.sent == []


async def test_an_unknown_session_is_404(gateway: Gateway) -> None:
    plan = await gateway.publish_edition()

    answer = await gateway.client.post(f"/v1/editions/{plan.edition_id}/sessions/s9/cancel", headers=staff())

    assert answer.status_code == 404
    assert answer.json()["error"]["reason"] == "edition has no session s9"


async def test_a_cancellation_without_an_answer_in_time_is_accepted_202(gateway: Gateway) -> None:
    plan = await gateway.publish_edition()

    answer = await gateway.client.post(f"/v1/editions/{plan.edition_id}/sessions/s3/cancel",
                                       json={"reason": "Lokalet er stengt"}, headers=staff())

    assert answer.status_code == 202
    assert answer.json()["links"]["resource"] == f"/v1/editions/{plan.edition_id}"
    assert gateway.bus.sent[0].data["reason"] == "Lokalet er stengt"
