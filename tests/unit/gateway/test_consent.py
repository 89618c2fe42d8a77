"""Consent: the sign-up records the purposes, the wording's version and the time; optional uses can be withdrawn."""

import asyncio
from typing import Any

from koos_contracts.identity import person_id_for
from koos_contracts.registration import ConsentWithdrawn, RegisterParticipant, WithdrawConsent
from tests.builders import person
from tests.unit.gateway.harness import OSLO, Gateway, bearer, staff


def sign_up(n: int, consent: Any) -> dict[str, Any]:
    return {**person(n).model_dump(mode="json"), "consent": consent}


async def test_the_consent_given_on_the_form_travels_with_the_sign_up_with_its_version_and_time(
        gateway: Gateway) -> None:
    plan = await gateway.publish_edition()
    given = {"purposes": ["course", "next_editions"], "wording_version": "2026-12-01"}

    answer = await gateway.client.post(f"/v1/public/editions/{plan.edition_id}/registrations", json=sign_up(1, given))

    assert answer.status_code == 202
    (command,) = gateway.sent(RegisterParticipant)
    assert command.data["consent"] == {**given, "given_at": gateway.clock.now().isoformat().replace("+00:00", "Z")}
    assert command.data["person"] == {**person(1).model_dump(mode="json"),
                                      "subject_id": person_id_for(OSLO, person(1).email)}


async def test_a_sign_up_without_consent_to_the_course_is_refused(gateway: Gateway) -> None:
    plan = await gateway.publish_edition()

    answer = await gateway.client.post(f"/v1/public/editions/{plan.edition_id}/registrations",
                                       json=sign_up(1, {"purposes": ["next_editions"], "wording_version": "v1"}))

    assert answer.status_code == 422
    assert gateway.sent(RegisterParticipant) == []


async def test_a_participant_withdraws_consent_to_hearing_of_next_editions_with_their_link(gateway: Gateway) -> None:
    plan = await gateway.publish_edition()
    mine = await gateway.registration_event(plan, person(1))
    gateway.answer(lambda command: [ConsentWithdrawn(
        registration_id=mine, edition_id=plan.edition_id, person_id="p1", withdrawn=("next_editions",),
        purposes=("course",), withdrawn_at=gateway.clock.now())])

    answer = await gateway.client.post(f"/v1/registrations/{mine}/consent/withdrawals",
                                       json={"purposes": ["next_editions"]},
                                       headers=bearer(gateway.participant_token(person(1), plan)))

    assert answer.status_code == 202
    (command,) = gateway.sent(WithdrawConsent)
    assert (command.data["registration_id"], command.data["purposes"]) == (mine, ["next_editions"])
    for _ in range(100):
        followed = (await gateway.client.get(f"/v1/commands/{command.id}", headers=staff())).json()
        if followed["status"] != "pending":
            break
        await asyncio.sleep(0.02)
    assert followed["status"] == "succeeded"


async def test_nobody_withdraws_someone_elses_consent_nor_the_consent_the_course_needs(gateway: Gateway) -> None:
    plan = await gateway.publish_edition()
    theirs = await gateway.registration_event(plan, person(2))

    other = await gateway.client.post(f"/v1/registrations/{theirs}/consent/withdrawals",
                                      json={"purposes": ["next_editions"]},
                                      headers=await gateway.participant(person(1), plan))
    course = await gateway.client.post(f"/v1/registrations/{theirs}/consent/withdrawals",
                                       json={"purposes": ["course"]}, headers=staff())

    assert (other.status_code, course.status_code) == (404, 422)
    assert gateway.sent(WithdrawConsent) == []
