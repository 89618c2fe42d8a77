"""Public sign-up: checked against the window at once, one registration per person, decided by registration."""

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

from koos_contracts.identity import person_id_for, registration_id_for
from koos_contracts.registration import (
    RegisterParticipant,
    RegistrationRefused,
    RegistrationUnchanged,
    RegistrationWaitlisted,
)
from koos_contracts.values import Participant
from tests.builders import open_course, person, published
from tests.fakes import envelope_for
from tests.unit.gateway.harness import OSLO, SIGNUPS_PER_MINUTE, Gateway, staff


def sign_up_path(edition_id: Any) -> str:
    return f"/v1/public/editions/{edition_id}/registrations"


def body(n: int = 1, language: str = "nb") -> dict[str, Any]:
    return person(n, language).model_dump(mode="json")


async def test_a_sign_up_is_accepted_with_its_registration_id_and_no_token_for_whoever_asked(
        gateway: Gateway) -> None:
    plan = await gateway.publish_edition()

    answer = await gateway.client.post(sign_up_path(plan.edition_id), json=body())

    assert answer.status_code == 202
    accepted = answer.json()
    assert accepted["registration_id"] == str(registration_id_for(plan.edition_id, person(1).email))
    assert accepted["status"] == "pending"
    assert "participant_token" not in accepted and "token" not in str(accepted["links"])
    assert answer.headers["Location"] == f"/v1/commands/{accepted['command_id']}"
    mailed = await gateway.participant(person(1), plan)
    followed = await gateway.client.get(answer.headers["Location"], headers=mailed)
    assert followed.json()["status"] == "pending"
    (command,) = gateway.sent(RegisterParticipant)
    assert command.organisationid == OSLO


async def test_signing_up_twice_is_the_same_registration(gateway: Gateway) -> None:
    plan = await gateway.publish_edition()

    first = await gateway.client.post(sign_up_path(plan.edition_id), json=body(1))
    shouted = {**body(1), "email": "PARTICIPANT1@Kommune.example"}
    again = await gateway.client.post(sign_up_path(plan.edition_id), json=shouted)

    assert first.json()["registration_id"] == again.json()["registration_id"]


async def test_a_sign_up_before_the_window_opens_is_refused_with_the_reason(gateway: Gateway) -> None:
    opens = datetime.now(UTC) + timedelta(days=2)
    plan = await gateway.publish_edition(registration_opens_at=opens)

    answer = await gateway.client.post(sign_up_path(plan.edition_id), json=body())

    assert answer.status_code == 409
    assert answer.json()["error"] == {"code": "registration_not_open",
                                      "reason": f"registration opens at {opens.isoformat()}", "details": []}
    assert gateway.bus.sent == []


async def test_a_sign_up_after_the_window_closed_is_refused_with_the_reason(gateway: Gateway) -> None:
    plan = await gateway.publish_edition()
    gateway.clock.current = plan.registration_closes_at + timedelta(minutes=1)

    answer = await gateway.client.post(sign_up_path(plan.edition_id), json=body())

    assert answer.status_code == 409
    assert answer.json()["error"]["code"] == "registration_closed"
    assert "registration closed at" in answer.json()["error"]["reason"]


async def test_a_sign_up_for_an_unknown_edition_is_404(gateway: Gateway) -> None:
    answer = await gateway.client.post(sign_up_path("5d3b4d56-36e3-4c7e-9a51-0d2c8e3f7a10"), json=body())

    assert answer.status_code == 404
    assert answer.json()["error"]["reason"] == "no such edition"


async def test_waiting_for_the_decision_shows_the_place_in_line(gateway: Gateway) -> None:
    plan = await gateway.publish_edition()
    await gateway.registration_event(plan, person(2), queue_number=1)
    gateway.answer(lambda command: [RegistrationWaitlisted(
        registration_id=command.registration_id, edition_id=command.edition_id, queue_number=2, position=2,
        participant=Participant(person_id=person_id_for(OSLO, command.person.email), **command.person.model_dump()),
        waitlisted_at=datetime.now(UTC))], delay=0.05)

    answer = await gateway.client.post(sign_up_path(plan.edition_id), params={"wait": 2}, json=body(1))

    assert answer.status_code == 201
    assert answer.json()["status"] == "waiting" and answer.json()["waiting_position"] == 2


async def test_signing_up_with_an_address_registered_already_tells_the_caller_neither_status_nor_place(
        gateway: Gateway) -> None:
    plan = await gateway.publish_edition()
    await gateway.registration_event(plan, person(1), queue_number=1)
    gateway.answer(lambda command: [RegistrationUnchanged(
        registration_id=command.registration_id, edition_id=command.edition_id, status="waiting", queue_number=1,
        person_id=person_id_for(OSLO, command.person.email))], delay=0.05)

    answer = await gateway.client.post(sign_up_path(plan.edition_id), params={"wait": 2}, json=body(1))
    decision = await gateway.client.get(f"/v1/public/sign-ups/{answer.json()['command_id']}")

    assert answer.json()["status"] == "pending" and answer.json()["waiting_position"] is None
    assert decision.status_code == 200
    assert decision.json() == {"status": "mailed", "edition_id": None, "registration_id": None,
                               "waiting_position": None, "reason": None, "reason_code": None}


async def test_a_refusal_by_the_registration_service_is_answered_with_its_reason(gateway: Gateway) -> None:
    plan = await gateway.publish_edition()
    gateway.answer(lambda command: [RegistrationRefused(
        registration_id=command.registration_id, edition_id=command.edition_id, reason_code="closed",
        reason="registration closed at 2030-01-01T00:00:00+00:00",
        participant=Participant(person_id=person_id_for(OSLO, command.person.email), **command.person.model_dump()))])

    answer = await gateway.client.post(sign_up_path(plan.edition_id), params={"wait": 2}, json=body(1))

    assert answer.status_code == 409
    assert answer.json()["error"]["code"] == "registration_closed"


async def test_an_invalid_person_is_refused_422_with_every_problem(gateway: Gateway) -> None:
    plan = await gateway.publish_edition()

    answer = await gateway.client.post(sign_up_path(plan.edition_id),
                                       json={"email": "not-an-address", "name": "", "language": "de"})

    assert answer.status_code == 422
    error = answer.json()["error"]
    assert error["code"] == "validation_failed"
    assert {d["field"] for d in error["details"]} == {"body.email", "body.name", "body.language"}


async def test_too_many_sign_ups_from_one_address_are_refused_429_with_retry_after(gateway: Gateway) -> None:
    plan = await gateway.publish_edition()
    answers = [await gateway.client.post(sign_up_path(plan.edition_id), json=body(n))
               for n in range(SIGNUPS_PER_MINUTE + 1)]

    assert [a.status_code for a in answers] == [202] * SIGNUPS_PER_MINUTE + [429]
    assert int(answers[-1].headers["Retry-After"]) >= 1
    assert answers[-1].json()["error"]["code"] == "rate_limited"
    assert len(gateway.sent(RegisterParticipant)) == SIGNUPS_PER_MINUTE


async def test_organisers_and_partners_are_not_rate_limited(gateway: Gateway) -> None:
    plan = await gateway.publish_edition()
    answers = [await gateway.client.post(f"/v1/editions/{plan.edition_id}/registrations", json=body(n),
                                         headers=staff()) for n in range(SIGNUPS_PER_MINUTE + 3)]

    assert {a.status_code for a in answers} == {202}


async def test_a_sign_up_before_registration_opened_the_edition_waits_for_it_or_is_answered_503(
        gateway: Gateway) -> None:
    plan = open_course()
    await gateway.deliver(envelope_for(published(plan), organisation_id=OSLO))

    too_early = await gateway.client.post(sign_up_path(plan.edition_id), json=body())
    waiting = asyncio.create_task(gateway.client.post(sign_up_path(plan.edition_id), json=body(2)))
    await asyncio.sleep(0.1)
    await gateway.seats(plan, taken=0, sequence=0)

    assert too_early.status_code == 503 and too_early.json()["error"]["code"] == "registration_opening"
    assert too_early.headers["Retry-After"]
    assert (await waiting).status_code == 202
    assert len(gateway.sent(RegisterParticipant)) == 1


async def test_registrations_opening_counted_before_the_edition_arrives_still_opens_it(gateway: Gateway) -> None:
    plan = open_course()
    await gateway.seats(plan, taken=0, sequence=0)
    await gateway.deliver(envelope_for(published(plan), organisation_id=OSLO))

    answer = await gateway.client.post(sign_up_path(plan.edition_id), json=body())

    assert answer.status_code == 202
