"""Organisers mark sessions held and see everyone's mails; people follow a sign-up and ask for their links again."""

from datetime import UTC, datetime, timedelta
from typing import Any

from koos_contracts.identity import person_id_for, registration_id_for
from koos_contracts.notifications import LinksResent, NotificationFailed, NotificationSent, ResendLinks
from koos_contracts.registration import RegistrationCancelled, RegistrationConfirmed
from koos_contracts.scheduling import MarkSessionHeld, ScheduleChangeRefused, SessionEnded
from koos_contracts.values import Participant
from tests.builders import person
from tests.unit.gateway.harness import OSLO, SIGNUPS_PER_MINUTE, Gateway, caused_by, event, staff


def ended(command: MarkSessionHeld, *sessions: str) -> list[SessionEnded]:
    at = datetime.now(UTC)
    return [SessionEnded(edition_id=command.edition_id, session_id=s, ended_at=at, last_of_edition=s == sessions[-1])
            for s in sessions]


async def test_marking_the_last_session_held_is_answered_and_the_course_shows_as_over(gateway: Gateway) -> None:
    plan = await gateway.publish_edition()
    gateway.answer(lambda command: ended(command, "s1", "s2", "s3"))

    answer = await gateway.client.post(f"/v1/editions/{plan.edition_id}/sessions/s3/held", json={},
                                       headers=staff())
    progress = await gateway.client.get(f"/v1/editions/{plan.edition_id}/progress", headers=staff(role="trainer"))

    assert answer.status_code == 200, answer.text
    (sent,) = gateway.sent(MarkSessionHeld)
    assert sent.data["session_id"] == "s3" and sent.data["closes_edition"] is False
    assert progress.json()["over"] is True and set(progress.json()["held"]) == {"s1", "s2", "s3"}


async def test_a_session_scheduling_will_not_mark_held_is_refused_with_its_reason(gateway: Gateway) -> None:
    plan = await gateway.publish_edition()
    reason = "session s2 starts 2030-06-04T10:00:00+02:00, more than a day from now"
    gateway.answer(lambda command: [ScheduleChangeRefused(edition_id=command.edition_id, session_id="s2",
                                                          reason=reason)])

    answer = await gateway.client.post(f"/v1/editions/{plan.edition_id}/sessions/s2/held",
                                       json={"closes_edition": True}, headers=staff())

    assert answer.status_code == 422
    assert answer.json()["error"] == {"code": "schedule_change_refused", "reason": reason, "details": []}


async def test_only_organisers_mark_sessions_held(gateway: Gateway) -> None:
    plan = await gateway.publish_edition()

    answer = await gateway.client.post(f"/v1/editions/{plan.edition_id}/sessions/s1/held",
                                       headers=staff(role="trainer"))

    assert answer.status_code == 403 and gateway.bus.sent == []


async def mailed(gateway: Gateway, plan: Any, n: int, kind: str, *, doubt: str | None = None,
                 failed: bool = False, minutes: int = 0) -> None:
    at = datetime.now(UTC) + timedelta(minutes=minutes)
    fields = {"notification_id": f"mail-{n}-{kind}", "kind": kind, "edition_id": plan.edition_id,
              "person_id": person_id_for(OSLO, person(n).email), "attempts": 1}
    message = (NotificationFailed(**fields, failed_at=at, reason="550 mailbox unavailable") if failed
               else NotificationSent(**fields, sent_at=at, doubt=doubt))  # type: ignore[arg-type]
    await gateway.deliver(event(message, at=at))


async def test_the_roster_lists_the_cancelled_too_and_every_persons_mails(gateway: Gateway) -> None:
    plan = await gateway.publish_edition()
    staying = await gateway.registration_event(plan, person(1))
    leaving = await gateway.registration_event(plan, person(2))
    await gateway.deliver(event(RegistrationCancelled(
        registration_id=leaving, edition_id=plan.edition_id, person_id=person_id_for(OSLO, person(2).email),  # type: ignore[arg-type]
        previous_status="confirmed", cancelled_at=datetime.now(UTC)), at=datetime.now(UTC) + timedelta(seconds=5)))
    await mailed(gateway, plan, 1, "registration_confirmed", doubt="resent")
    await mailed(gateway, plan, 1, "session_reminder", failed=True, minutes=5)
    await mailed(gateway, plan, 2, "registration_confirmed", doubt="found_delivered")

    roster = (await gateway.client.get(f"/v1/editions/{plan.edition_id}/roster", headers=staff())).json()
    log = await gateway.client.get(f"/v1/registrations/{staying}/mails", headers=staff(role="trainer"))

    assert [p["registration_id"] for p in roster["confirmed"]] == [staying]
    assert [p["registration_id"] for p in roster["cancelled"]] == [leaving] and roster["waiting"] == []
    assert [m["state"] for m in roster["cancelled"][0]["mails"]] == ["delivered"]
    assert [(m["kind"], m["state"], m["reason"]) for m in log.json()] == [
        ("registration_confirmed", "in_doubt", None), ("session_reminder", "failed", "550 mailbox unavailable")]


async def test_a_sign_up_is_followed_by_its_command_id_without_credentials(gateway: Gateway) -> None:
    plan = await gateway.publish_edition()
    accepted = await gateway.client.post(f"/v1/public/editions/{plan.edition_id}/registrations",
                                         json=person(3).model_dump(mode="json"))
    command_id = accepted.json()["command_id"]
    pending = await gateway.client.get(f"/v1/public/sign-ups/{command_id}")

    participant = Participant(person_id=person_id_for(OSLO, person(3).email), **person(3).model_dump())
    (command,) = gateway.bus.sent
    await gateway.deliver(*caused_by(command, RegistrationConfirmed(
        registration_id=registration_id_for(plan.edition_id, person(3).email), edition_id=plan.edition_id,
        participant=participant, confirmed_at=datetime.now(UTC))))
    decided = await gateway.client.get(f"/v1/public/sign-ups/{command_id}", params={"wait": 1})

    assert pending.json()["status"] == "pending"
    assert decided.json() == {"status": "confirmed", "edition_id": str(plan.edition_id),
                              "registration_id": accepted.json()["registration_id"], "waiting_position": None,
                              "reason": None, "reason_code": None}
    assert "name" not in str(decided.json()) and "email" not in str(decided.json())


async def test_an_unknown_id_or_another_kind_of_command_is_no_sign_up(gateway: Gateway) -> None:
    plan = await gateway.publish_edition()
    registration = await gateway.registration_event(plan, person(1))
    cancel = await gateway.client.delete(f"/v1/registrations/{registration}", headers=staff())

    unknown = await gateway.client.get("/v1/public/sign-ups/0b7bd6e4-8a55-4bd5-9bf7-4b1b5b21e3c1")
    other = await gateway.client.get(f"/v1/public/sign-ups/{cancel.json()['command_id']}")

    assert unknown.status_code == other.status_code == 404


async def test_asking_for_the_links_again_answers_the_same_for_any_address(gateway: Gateway) -> None:
    plan = await gateway.publish_edition()
    await gateway.registration_event(plan, person(1))
    path = f"/v1/public/editions/{plan.edition_id}/links"

    known = await gateway.client.post(path, json={"email": person(1).email})
    stranger = await gateway.client.post(path, json={"email": "nobody@kommune.example"})
    gateway.answer(lambda command: [LinksResent(edition_id=command.edition_id, registration_id=command.registration_id,
                                                mailed=False)])

    assert known.status_code == stranger.status_code == 202 and known.json() == stranger.json()
    sent = gateway.sent(ResendLinks)
    assert [e.data["email"] for e in sent] == [person(1).email, "nobody@kommune.example"]
    assert {e.organisationid for e in sent} == {OSLO}


async def test_asking_for_links_is_rate_limited_and_needs_a_known_edition(gateway: Gateway) -> None:
    plan = await gateway.publish_edition()
    path = f"/v1/public/editions/{plan.edition_id}/links"

    unknown = await gateway.client.post("/v1/public/editions/0b7bd6e4-8a55-4bd5-9bf7-4b1b5b21e3c1/links",
                                        json={"email": person(1).email})
    answers = [await gateway.client.post(path, json={"email": person(1).email}) for _ in range(SIGNUPS_PER_MINUTE)]

    assert unknown.status_code == 404
    assert [a.status_code for a in answers][-2:] == [202, 429]
    assert "Retry-After" in answers[-1].headers
