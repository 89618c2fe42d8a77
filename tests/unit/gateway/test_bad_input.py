"""Bad input gets a clear refusal: control characters by field, huge bodies before they are read, and
answers that keep browsers and caches from leaking them."""

import re
from collections.abc import AsyncIterator
from typing import Any

import pytest
from starlette.routing import Route

from koos_contracts.identity import person_id_for, registration_id_for
from koos_contracts.registration import RegistrationCancelled, RegistrationRefused
from koos_contracts.values import Participant
from tests.builders import open_course, person
from tests.unit.gateway.harness import OSLO, Gateway, event, staff

TEN_MEGABYTES = 10 * 1024 * 1024


@pytest.mark.parametrize("name", ["Kari\rNordmann", "Kari\nNordmann", "Kari\x00Nordmann", "Kari\r\nBcc: x@y.z"])
async def test_a_sign_up_with_a_control_character_in_the_name_is_422_naming_the_field(
        gateway: Gateway, name: str) -> None:
    plan = await gateway.publish_edition()

    answer = await gateway.client.post(f"/v1/public/editions/{plan.edition_id}/registrations",
                                       json={**person(1).model_dump(mode="json"), "name": name})

    assert answer.status_code == 422
    (detail,) = answer.json()["error"]["details"]
    assert detail["field"] == "body.name" and "control characters" in detail["reason"]
    assert gateway.bus.sent == []


async def test_a_sign_up_whose_name_is_a_link_is_422(gateway: Gateway) -> None:
    plan = await gateway.publish_edition()

    answer = await gateway.client.post(f"/v1/public/editions/{plan.edition_id}/registrations",
                                       json={**person(1).model_dump(mode="json"), "name": "Win at evil.example/x"})

    assert answer.status_code == 422
    assert answer.json()["error"]["details"][0]["field"] == "body.name"


@pytest.mark.parametrize("title", ["Tjeneste\ndesign", "Tjeneste\rdesign", "Tjeneste\x00design"])
async def test_an_edition_with_a_control_character_in_its_title_is_422_naming_the_field(
        gateway: Gateway, title: str) -> None:
    plan = open_course().model_dump(mode="json")

    answer = await gateway.client.post("/v1/editions", json={**plan, "title": {"nb": title}}, headers=staff())

    assert answer.status_code == 422
    assert [d["field"] for d in answer.json()["error"]["details"]] == ["body.title.nb"]
    assert gateway.bus.sent == []


def concrete(path: str) -> str:
    return re.sub(r"{[^}]+}", "3f0e8c1a-1d7b-4a51-9a0f-b2c33e6f4d21", path)


def every_route(gateway: Gateway) -> list[tuple[str, str]]:
    """Every route of the app: the documented ones, and the operator endpoints besides."""
    documented = {(method.upper(), concrete(path)) for path, operations in gateway.app.openapi()["paths"].items()
                  for method in operations}
    plain = {(method, route.path) for route in gateway.app.routes if isinstance(route, Route)
             for method in route.methods or () if method != "HEAD"}
    return sorted(documented | plain)


async def test_a_ten_megabyte_body_is_413_on_every_route_before_anything_reads_it(gateway: Gateway) -> None:
    body = b"{" + b" " * TEN_MEGABYTES + b"}"

    for method, path in every_route(gateway):
        answer = await gateway.client.request(method, path, content=body,
                                              headers={**staff(), "Content-Type": "application/json"})
        assert answer.status_code == 413, (method, path, answer.status_code)
        assert answer.json()["error"]["code"] == "payload_too_large"
    assert gateway.bus.sent == [] and len(every_route(gateway)) > 20


async def test_a_chunked_body_without_a_length_is_cut_off_at_the_limit(gateway: Gateway) -> None:
    plan = await gateway.publish_edition()
    sent = 0

    async def chunks() -> AsyncIterator[bytes]:
        nonlocal sent
        for _ in range(10 * 1024):
            sent += 1024
            yield b" " * 1024

    answer = await gateway.client.post(f"/v1/public/editions/{plan.edition_id}/registrations", content=chunks())

    assert answer.status_code == 413 and "4096 bytes" in answer.json()["error"]["reason"]
    assert gateway.bus.sent == []


async def test_a_public_route_takes_a_few_kilobytes_and_others_a_megabyte(gateway: Gateway) -> None:
    plan = await gateway.publish_edition()
    five_kb = {**person(1).model_dump(mode="json"), "padding": "x" * 5000}
    big_edition = {**open_course().model_dump(mode="json"), "description": {"nb": "x" * 4999, "en": "y" * 4999}}

    public = await gateway.client.post(f"/v1/public/editions/{plan.edition_id}/registrations", json=five_kb)
    staff_route = await gateway.client.post("/v1/editions", json=big_edition, headers=staff())

    assert public.status_code == 413
    assert staff_route.status_code != 413


async def test_every_answer_carries_nosniff_and_no_referrer_and_personal_ones_are_not_stored(
        gateway: Gateway) -> None:
    plan = await gateway.publish_edition()
    registration = await gateway.registration_event(plan, person(1))

    personal = await gateway.client.get(f"/v1/registrations/{registration}", headers=staff())
    mailed_link = await gateway.client.get("/v1/me/calendar.ics",
                                           params={"token": gateway.participant_token(person(1), plan)})
    contract = await gateway.client.get("/v1/contracts/asyncapi.json")
    refused = await gateway.client.get("/v1/editions")

    for answer in (personal, mailed_link, contract, refused):
        assert answer.headers["X-Content-Type-Options"] == "nosniff"
        assert answer.headers["Referrer-Policy"] == "no-referrer"
    assert personal.headers["Cache-Control"] == mailed_link.headers["Cache-Control"] == "no-store"
    assert refused.headers["Cache-Control"] == "no-store"
    assert contract.headers["Cache-Control"].startswith("public")


async def stored_as(gateway: Gateway, state: str, plan: Any) -> None:
    """The person's registration as registration last said: none, confirmed, waiting, cancelled or refused."""
    someone = person(1)
    if state in ("confirmed", "cancelled"):
        await gateway.registration_event(plan, someone)
    if state == "waiting":
        await gateway.registration_event(plan, someone, queue_number=4)
    registration_id = registration_id_for(plan.edition_id, someone.email)
    if state == "cancelled":
        await gateway.deliver(event(RegistrationCancelled(
            registration_id=registration_id, edition_id=plan.edition_id,
            person_id=person_id_for(OSLO, someone.email), previous_status="confirmed",
            cancelled_at=gateway.clock.now()), at=gateway.clock.now()))
    if state == "refused":
        participant = Participant(person_id=person_id_for(OSLO, someone.email), **someone.model_dump())
        await gateway.deliver(event(RegistrationRefused(
            registration_id=registration_id, edition_id=plan.edition_id, participant=participant,
            reason_code="closed", reason="registration closed"), at=gateway.clock.now()))


async def test_a_public_sign_up_answers_alike_whatever_is_stored_about_the_person(gateway: Gateway) -> None:
    answers = []
    for state in ("none", "confirmed", "waiting", "cancelled", "refused"):
        plan = await gateway.publish_edition(edition_id=None)
        await stored_as(gateway, state, plan)

        answer = await gateway.client.post(f"/v1/public/editions/{plan.edition_id}/registrations",
                                           json=person(1).model_dump(mode="json"))

        shown = answer.json()
        answers.append((answer.status_code, sorted(answer.headers.keys()),
                        {k: v for k, v in shown.items() if not k.endswith("_id") and k != "links"},
                        shown["links"].keys()))
    assert all(a == answers[0] for a in answers), answers
    assert answers[0][0] == 202 and answers[0][2]["status"] == "pending"


async def test_a_page_offset_past_what_a_database_can_skip_is_422(gateway: Gateway) -> None:
    answer = await gateway.client.get("/v1/editions", params={"offset": str(2**65)}, headers=staff())

    assert answer.status_code == 422
    assert answer.json()["error"]["details"][0]["field"] == "query.offset"


async def test_a_body_that_is_not_text_is_422_like_any_invalid_request(gateway: Gateway) -> None:
    plan = await gateway.publish_edition()

    answer = await gateway.client.post(f"/v1/public/editions/{plan.edition_id}/links", content=b"\xff\xfe{\x00",
                                       headers={"Content-Type": "application/json"})

    assert answer.status_code == 422 and answer.json()["error"]["code"] == "validation_failed"
