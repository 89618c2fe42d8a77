"""Participant tokens act for one registration while it stands; staff tokens carry an audience and a short life."""

import time
from datetime import UTC, datetime, timedelta

import jwt

from koos_contracts.evaluation import SurveyOpened
from koos_contracts.identity import person_id_for
from koos_contracts.registration import RegistrationCancelled
from tests.builders import person
from tests.unit.gateway.harness import OSLO, SECRET, Gateway, bearer, event, staff_token

OLD_CONSTANT = "koos-development-participant-secret-not-for-production"


def old_style_token(registration_id: str, person_id: str) -> str:
    """A participant token as anyone could make it before: HS256 with the constant that was in the code."""
    now = int(time.time())
    claims = {"sub": person_id, "org": OSLO, "reg": registration_id, "role": "participant", "iss": "koos",
              "iat": now, "exp": now + 3600}
    return jwt.encode(claims, OLD_CONSTANT, algorithm="HS256")


async def test_a_token_minted_with_the_old_constant_is_refused(gateway: Gateway) -> None:
    plan = await gateway.publish_edition()
    registration = await gateway.registration_event(plan, person(1))
    forged = old_style_token(registration, person_id_for(OSLO, person(1).email))

    by_header = await gateway.client.get(f"/v1/registrations/{registration}", headers=bearer(forged))
    by_link = await gateway.client.get(f"/v1/registrations/{registration}", params={"token": forged})
    cancelled = await gateway.client.delete(f"/v1/registrations/{registration}", headers=bearer(forged))

    assert by_header.status_code == by_link.status_code == cancelled.status_code == 401
    assert gateway.bus.sent == []


async def test_a_cancelled_registrations_token_is_refused(gateway: Gateway) -> None:
    plan = await gateway.publish_edition()
    registration = await gateway.registration_event(plan, person(1))
    token = gateway.participant_token(person(1), plan)
    assert (await gateway.client.get(f"/v1/registrations/{registration}", headers=bearer(token))).status_code == 200

    await gateway.deliver(event(RegistrationCancelled(
        registration_id=registration, edition_id=plan.edition_id, person_id=person_id_for(OSLO, person(1).email),
        previous_status="confirmed", cancelled_at=gateway.clock.now() + timedelta(seconds=1)),
        at=gateway.clock.now() + timedelta(seconds=1)))

    for answer in (await gateway.client.get(f"/v1/registrations/{registration}", headers=bearer(token)),
                   await gateway.client.get("/v1/me/registrations", headers=bearer(token)),
                   await gateway.client.get("/v1/me/calendar.ics", params={"token": token})):
        assert answer.status_code == 401
        assert answer.json()["error"]["reason"] == "the token's registration was cancelled"


async def test_a_token_stops_when_its_edition_is_over_unless_its_survey_is_still_open(gateway: Gateway) -> None:
    plan = await gateway.publish_edition()
    registration = await gateway.registration_event(plan, person(1))
    token = bearer(gateway.participant_token(person(1), plan))
    last_end = max(datetime.combine(s.date, s.end, tzinfo=UTC) for s in plan.sessions)
    gateway.clock.current = last_end + timedelta(days=2)

    over = await gateway.client.get(f"/v1/registrations/{registration}", headers=token)
    await gateway.deliver(event(SurveyOpened(edition_id=plan.edition_id, questions=plan.feedback_questions,
                                             opened_at=gateway.clock.now(),
                                             closes_at=gateway.clock.now() + timedelta(days=14))))
    form = await gateway.client.get(f"/v1/editions/{plan.edition_id}/feedback/form", headers=token)
    gateway.clock.current += timedelta(days=15)
    closed = await gateway.client.get(f"/v1/editions/{plan.edition_id}/feedback/form", headers=token)

    assert over.status_code == 401 and over.json()["error"]["reason"] == "the token's edition is over"
    assert form.status_code == 200
    assert closed.status_code == 401


async def test_a_token_acts_on_its_own_registration_and_edition_only_but_lists_the_persons_own(
        gateway: Gateway) -> None:
    first, second = await gateway.publish_edition(), await gateway.publish_edition()
    mine = await gateway.registration_event(first, person(1))
    other = await gateway.registration_event(second, person(1))
    token = bearer(gateway.participant_token(person(1), first))

    seen = await gateway.client.get(f"/v1/registrations/{other}", headers=token)
    cancelled = await gateway.client.delete(f"/v1/registrations/{other}", headers=token)
    answered = await gateway.client.post(f"/v1/editions/{second.edition_id}/feedback", headers=token,
                                         json={"ratings": {"overall": 5}})
    listed = await gateway.client.get("/v1/me/registrations", headers=token)

    assert seen.status_code == cancelled.status_code == answered.status_code == 404
    assert {r["registration_id"] for r in listed.json()} == {mine, other}
    assert gateway.bus.sent == []


async def test_a_staff_token_needs_the_gateways_audience_and_a_short_life(gateway: Gateway) -> None:
    good = await gateway.client.get("/v1/editions", headers=bearer(staff_token()))
    no_audience = await gateway.client.get("/v1/editions", headers=bearer(staff_token(audience=None)))
    elsewhere = await gateway.client.get("/v1/editions", headers=bearer(staff_token(audience="another-api")))
    for_a_year = await gateway.client.get("/v1/editions", headers=bearer(staff_token(expires_in=365 * 86_400)))
    signed_elsewhere = await gateway.client.get("/v1/editions",
                                                headers=bearer(staff_token(secret="x" * 32 + SECRET)))

    assert good.status_code == 200
    assert no_audience.status_code == elsewhere.status_code == signed_elsewhere.status_code == 401
    assert for_a_year.status_code == 401 and "longer than" in for_a_year.json()["error"]["reason"]
