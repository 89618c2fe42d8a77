"""An organiser publishes an edition: 201 once scheduling published it, 422 with its reason, 202 otherwise."""

from typing import Any

from koos_contracts import parse
from koos_contracts.scheduling import EditionPublicationRefused, PublishEdition
from tests.builders import open_course, published
from tests.unit.gateway.harness import OSLO, Gateway, caused_by, staff


def body(plan: PublishEdition | None = None) -> dict[str, Any]:
    return (plan or open_course()).model_dump(mode="json")


async def test_an_edition_published_within_the_wait_is_answered_201_with_the_edition(gateway: Gateway) -> None:
    gateway.answer(lambda command: [published(command)])
    plan = open_course()

    answer = await gateway.client.post("/v1/editions", json=body(plan), headers=staff())

    assert answer.status_code == 201
    assert answer.headers["Location"] == f"/v1/editions/{plan.edition_id}"
    edition = answer.json()
    assert edition["edition_id"] == str(plan.edition_id)
    assert edition["organisation_id"] == OSLO
    assert [s["session_id"] for s in edition["sessions"]] == ["s1", "s2", "s3"]
    assert edition["seats_left"] == 30 and edition["registration"] == "open"


async def test_an_answer_arriving_while_the_request_waits_still_gives_201(gateway: Gateway) -> None:
    gateway.answer(lambda command: [published(command)], delay=0.1)

    answer = await gateway.client.post("/v1/editions", json=body(), headers=staff())

    assert answer.status_code == 201


async def test_a_refused_edition_is_answered_422_with_schedulings_reason(gateway: Gateway) -> None:
    reason = "sessions s1 and s2 overlap at Rådhuset, møterom 3"
    gateway.answer(lambda command: [EditionPublicationRefused(edition_id=command.edition_id, reason=reason)])

    answer = await gateway.client.post("/v1/editions", json=body(), headers=staff())

    assert answer.status_code == 422
    assert answer.json()["error"] == {"code": "edition_refused", "reason": reason, "details": []}


async def test_without_an_answer_in_time_202_points_to_where_the_outcome_shows_later(gateway: Gateway) -> None:
    answer = await gateway.client.post("/v1/editions", json=body(), headers=staff())

    assert answer.status_code == 202
    location = answer.headers["Location"]
    assert (await gateway.client.get(location, headers=staff())).json()["status"] == "pending"
    (command,) = gateway.bus.sent
    refusal = EditionPublicationRefused(edition_id=parse(command).edition_id,  # type: ignore[attr-defined]
                                        reason="an edition with this id is published already")
    await gateway.deliver(*caused_by(command, refusal))
    polled = (await gateway.client.get(location, headers=staff())).json()
    assert polled["status"] == "refused"
    assert polled["reason"] == "an edition with this id is published already"


async def test_the_command_carries_the_callers_organisation_and_correlation_id(gateway: Gateway) -> None:
    answer = await gateway.client.post("/v1/editions", json=body(),
                                       headers={**staff(), "X-Correlation-ID": "req-4711"})

    assert answer.headers["X-Correlation-ID"] == "req-4711"
    (command,) = gateway.sent(PublishEdition)
    assert command.organisationid == OSLO
    assert command.correlationid == "req-4711"
    assert command.source == "/koos/gateway"


async def test_the_gateway_makes_an_edition_id_when_the_organiser_gives_none(gateway: Gateway) -> None:
    without_id = body()
    del without_id["edition_id"]

    answer = await gateway.client.post("/v1/editions", json=without_id, headers=staff())

    (command,) = gateway.sent(PublishEdition)
    edition_id = parse(command).edition_id  # type: ignore[attr-defined]
    assert answer.json()["links"]["resource"] == f"/v1/editions/{edition_id}"


async def test_kafka_unavailable_is_answered_503_with_retry_after(gateway: Gateway) -> None:
    gateway.bus.unavailable = True

    answer = await gateway.client.post("/v1/editions", json=body(), headers=staff())

    assert answer.status_code == 503
    assert answer.headers["Retry-After"] == "5"
    assert answer.json()["error"]["code"] == "bus_unavailable"


async def test_publishing_an_edition_that_exists_is_answered_409_at_once(gateway: Gateway) -> None:
    plan = await gateway.publish_edition()

    answer = await gateway.client.post("/v1/editions", json=body(plan), headers=staff())

    assert answer.status_code == 409
    assert answer.json()["error"]["code"] == "edition_exists"
    assert gateway.bus.sent == []
