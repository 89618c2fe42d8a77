"""An open course from publication to feedback, through the gateway and all four services (issue 6)."""

import asyncio
from datetime import timedelta
from typing import Any
from uuid import uuid4

import httpx
import pytest

from koos_contracts import parse
from koos_contracts.identity import person_id_for, registration_id_for
from koos_contracts.registration import RegisterParticipant
from koos_contracts.topics import REGISTRATION_COMMANDS
from tests.builders import soon
from tests.fixtures.kafka import KafkaProbe
from tests.fixtures.mail import Mailbox, per_recipient
from tests.fixtures.stack import ORGANISATION, Stack

pytestmark = pytest.mark.e2e

SEATS, RUSH = 30, 200


async def publish(stack: Stack, plan: Any) -> None:
    answer = await stack.gateway.post("/v1/editions", json=plan.model_dump(mode="json"), headers=stack.staff())
    assert answer.status_code == 201, answer.text


async def sign_up(client: httpx.AsyncClient, edition_id: object, email: str, language: str = "nb",
                  wait: float = 0) -> str:
    answer = await client.post(f"/v1/public/editions/{edition_id}/registrations", params={"wait": wait},
                               json={"email": email, "name": f"Deltaker {email[6:9]} Ødegård", "language": language})
    assert answer.status_code in (201, 202), answer.text
    return str(answer.json()["registration_id"])


async def roster(stack: Stack, edition_id: object, confirmed: int, waiting: int) -> dict[str, list[str]]:
    """The lists once they hold the expected numbers."""
    deadline = asyncio.get_running_loop().time() + 120
    while True:
        lists = (await stack.gateway.get(f"/v1/editions/{edition_id}/registrations", headers=stack.staff())).json()
        found = {"confirmed": [r["registration_id"] for r in lists["confirmed"]],
                 "waiting": [r["registration_id"] for r in lists["waiting"]]}
        if (len(found["confirmed"]), len(found["waiting"])) == (confirmed, waiting):
            return found
        assert asyncio.get_running_loop().time() < deadline, f"lists stuck at {len(found['confirmed'])}/" \
                                                             f"{len(found['waiting'])}"
        await asyncio.sleep(0.5)


async def arrival_order(probe: KafkaProbe, count: int) -> list[str]:
    """Registration ids in the order Kafka received the gateway's commands."""
    records = await probe.records(REGISTRATION_COMMANDS.name, lambda rs: len(rs) >= count)
    ordered = sorted(records, key=lambda r: (r.partition, r.offset))
    assert len({r.partition for r in ordered}) == 1
    commands = [(parse(envelope), envelope) for envelope in await probe.opened(ordered)]
    return [str(c.registration_id_in(e.organisationid)) for c, e in commands if isinstance(c, RegisterParticipant)]


async def test_a_rush_for_thirty_seats_with_the_mailer_killed_midway(
        stack: Stack, kafka_probe: KafkaProbe, smtp_server: Any) -> None:
    mailbox = Mailbox(smtp_server.maildir, stack.mail_domain)
    plan = soon(6, sessions=3, capacity=SEATS, reminder_minutes=(3,))
    await publish(stack, plan)

    async with httpx.AsyncClient(base_url=stack.services["gateway"].url, timeout=60,
                                 limits=httpx.Limits(max_connections=RUSH)) as client:
        rush = asyncio.gather(*(sign_up(client, plan.edition_id, stack.email(n)) for n in range(RUSH)))
        await mailbox.wait_for(25)
        stack.services["notifications"].kill()
        ids = await rush
    stack.services["notifications"].start()

    assert len(set(ids)) == RUSH
    email_of = {registration_id: stack.email(n) for n, registration_id in enumerate(ids)}
    arrival = await arrival_order(kafka_probe, RUSH)
    lists = await roster(stack, plan.edition_id, SEATS, RUSH - SEATS)
    assert set(lists["confirmed"]) == set(arrival[:SEATS])
    assert lists["waiting"] == arrival[SEATS:]

    first = await mailbox.wait_for(RUSH)
    assert per_recipient(first) == {stack.email(n): 1 for n in range(RUSH)}
    assert len({m.message_id for m in first}) == RUSH
    assert sorted({m.kind for m in first}) == ["registration_confirmed", "registration_waitlisted"]

    cancelled = lists["confirmed"][:5]
    for registration_id in cancelled:
        answer = await stack.gateway.delete(f"/v1/registrations/{registration_id}", headers=stack.staff())
        assert answer.status_code == 202
    after = await roster(stack, plan.edition_id, SEATS, RUSH - SEATS - 5)
    promoted = set(arrival[SEATS:SEATS + 5])
    assert set(after["confirmed"]) == (set(lists["confirmed"]) - set(cancelled)) | promoted
    promotion_mails = await mailbox.wait_for(5, "registration_promoted")
    assert {m.recipient for m in promotion_mails} == {email_of[r] for r in promoted}

    reminders = await mailbox.wait_for(SEATS, "session_reminder", timeout=400)
    assert per_recipient(reminders) == {email_of[r]: 1 for r in after["confirmed"]}
    await asyncio.sleep(3)
    everything = mailbox.mails()
    assert len(everything) == RUSH + 5 + 5 + SEATS
    assert len({m.message_id for m in everything}) == len(everything)


LANGUAGES = {"et": "Uus aeg", "fi": "Uusi aika", "nb": "Ny tid", "en": "New time"}


async def test_a_reschedule_reaches_every_participant_in_their_language_and_the_feeds(
        stack: Stack, smtp_server: Any) -> None:
    mailbox = Mailbox(smtp_server.maildir, stack.mail_domain)
    plan = soon(24 * 60, sessions=3, capacity=10)
    await publish(stack, plan)
    emails = {language: stack.email(n) for n, language in enumerate(LANGUAGES)}
    for language, email in emails.items():
        await sign_up(stack.gateway, plan.edition_id, email, language)
    await mailbox.wait_for(len(LANGUAGES), "registration_confirmed")

    moved = plan.sessions[1].date + timedelta(days=1)
    change = {"date": moved.isoformat(), "start": "13:00", "end": "16:00"}
    answer = await stack.gateway.post(f"/v1/editions/{plan.edition_id}/sessions/s2/reschedule", json=change,
                                      headers=stack.staff())
    assert answer.status_code == 200, answer.text

    notices = await mailbox.wait_for(len(LANGUAGES), "session_rescheduled")
    by_recipient = {m.recipient: m for m in notices}
    for language, email in emails.items():
        notice = by_recipient[email]
        assert notice.language == language and notice.subject.startswith(LANGUAGES[language])
        assert "SEQUENCE:1" in notice.calendar() and f"{moved:%Y%m%d}T" in notice.calendar()
    feed = (await stack.gateway.get(f"/v1/editions/{plan.edition_id}/calendar.ics")).text
    assert f"{moved:%Y%m%d}T" in feed and "SEQUENCE:1" in feed
    token = stack.participant(person_id_for(ORGANISATION, emails["fi"]),
                              str(registration_id_for(plan.edition_id, emails["fi"])))["Authorization"].split()[1]
    personal = (await stack.gateway.get("/v1/me/calendar.ics", params={"token": token})).text
    assert f"{moved:%Y%m%d}T" in personal


async def test_feedback_after_the_last_session_matches_the_answers_given(stack: Stack, smtp_server: Any) -> None:
    mailbox = Mailbox(smtp_server.maildir, stack.mail_domain)
    plan = soon(-1, 2, capacity=10)
    await publish(stack, plan)
    for n in range(5):
        await sign_up(stack.gateway, plan.edition_id, stack.email(n), "en")

    requests = await mailbox.wait_for(5, "feedback_requested", timeout=240)
    answers = {0: ({"overall": 5, "methods": 4}, "I learned how much the insight phase matters."),
               1: ({"overall": 4, "methods": 4}, "Working across units was the best part."),
               2: ({"overall": 3, "methods": 2}, None),
               3: ({"overall": 5, "methods": 5}, "  ")}
    by_recipient = {m.recipient: m for m in requests}
    for n, (ratings, comment) in answers.items():
        token = by_recipient[stack.email(n)].link_token()
        form = await stack.gateway.get(f"/v1/editions/{plan.edition_id}/feedback/form", params={"token": token})
        assert [q["key"] for q in form.json()["questions"]] == ["overall", "methods"]
        sent = await stack.gateway.post(f"/v1/editions/{plan.edition_id}/feedback", params={"wait": 10},
                                        json={"ratings": ratings, "comment": comment},
                                        headers={"Authorization": f"Bearer {token}"})
        assert sent.status_code == 201, sent.text
    again = await stack.gateway.post(f"/v1/editions/{plan.edition_id}/feedback", params={"wait": 10},
                                     json={"ratings": answers[0][0]},
                                     headers={"Authorization": f"Bearer {by_recipient[stack.email(0)].link_token()}"})
    assert again.status_code == 422

    results = await _results(stack, plan.edition_id, responses=len(answers))
    assert results["invited"] == 5 and results["response_rate"] == pytest.approx(len(answers) / 5)
    for question in ("overall", "methods"):
        given = [ratings[question] for ratings, _ in answers.values()]
        figures = next(q for q in results["questions"] if q["key"] == question)
        assert figures["mean"] == pytest.approx(sum(given) / len(given))
        assert figures["distribution"] == {str(v): given.count(v) for v in range(1, 6)}
    assert results["quotes"] == [c.strip() for _, c in answers.values() if c and c.strip()]


async def _results(stack: Stack, edition_id: object, responses: int) -> dict[str, Any]:
    for _ in range(120):
        answer = await stack.gateway.get(f"/v1/editions/{edition_id}/feedback", headers=stack.staff())
        if answer.status_code == 200 and answer.json()["responses"] == responses:
            return dict(answer.json())
        await asyncio.sleep(0.5)
    raise AssertionError("results did not arrive")


async def test_another_organisation_sees_nothing_of_an_edition(stack: Stack) -> None:
    plan = soon(24 * 60, capacity=5)
    await publish(stack, plan)
    registration_id = await sign_up(stack.gateway, plan.edition_id, stack.email(1), wait=20)
    bergen = stack.staff(organisation_id="bergen-kommune")
    requests = [("GET", f"/v1/editions/{plan.edition_id}"), ("GET", f"/v1/editions/{plan.edition_id}/registrations"),
                ("GET", f"/v1/registrations/{registration_id}"), ("DELETE", f"/v1/registrations/{registration_id}"),
                ("GET", f"/v1/editions/{plan.edition_id}/feedback")]
    for method, path in requests:
        answer = await stack.gateway.request(method, path, headers=bergen)
        assert answer.status_code == 404, (method, path, answer.text)
    stranger = stack.participant(person_id_for("bergen-kommune", stack.email(1)), registration_id, "bergen-kommune")
    unknown = stack.participant(person_id_for("bergen-kommune", stack.email(1)), str(uuid4()), "bergen-kommune")
    theirs = await stack.gateway.get(f"/v1/registrations/{registration_id}", headers=stranger)
    assert theirs.status_code == 401
    assert theirs.json() == (await stack.gateway.get(f"/v1/registrations/{registration_id}", headers=unknown)).json()
    mine = stack.participant(person_id_for(ORGANISATION, stack.email(1)), registration_id)
    assert (await stack.gateway.get(f"/v1/registrations/{registration_id}", headers=mine)).status_code == 200
    assert str(registration_id_for(plan.edition_id, stack.email(1))) == registration_id
