"""Errors are JSON of one shape everywhere; health, readiness and metrics; the correlation id round trip."""

from uuid import uuid4

import httpx
import pydantic
from starlette.requests import Request

from koos_contracts.programmes import PlanWorkshops
from koos_contracts.scheduling import PublishEdition
from koos_contracts.values import Venue
from koos_gateway.entrypoints.http.app import HttpSettings, create_app
from koos_gateway.entrypoints.http.errors import on_command_invalid
from tests.builders import open_course
from tests.unit.gateway.harness import Gateway, staff


async def test_an_invalid_edition_is_refused_422_naming_each_field_and_its_reason(gateway: Gateway) -> None:
    edition = open_course().model_dump(mode="json")
    edition["title"] = {"de": "Dienstleistungsdesign"}
    edition["sessions"][0]["end"] = "08:00"
    del edition["capacity"]

    answer = await gateway.client.post("/v1/editions", json=edition, headers=staff())

    assert answer.status_code == 422
    error = answer.json()["error"]
    assert error["code"] == "validation_failed"
    fields = {d["field"]: d["reason"] for d in error["details"]}
    assert "body.capacity" in fields
    assert any(f.startswith("body.title") for f in fields)
    assert any("session s1 ends at 08:00, not after it starts at 09:00" in r for r in fields.values())
    assert gateway.sent(PublishEdition) == []


async def test_a_malformed_id_is_a_validation_error(gateway: Gateway) -> None:
    answer = await gateway.client.get("/v1/editions/not-a-uuid", headers=staff())

    assert answer.status_code == 422
    assert answer.json()["error"]["details"][0]["field"] == "path.edition_id"


async def test_unknown_routes_and_methods_answer_in_the_same_shape(gateway: Gateway) -> None:
    missing = await gateway.client.get("/v1/nothing-here")
    wrong_method = await gateway.client.put("/v1/editions")

    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    assert wrong_method.status_code == 405 and wrong_method.json()["error"]["code"] == "method_not_allowed"


async def test_a_correlation_id_is_made_when_the_caller_sends_none(gateway: Gateway) -> None:
    first = await gateway.client.get("/healthz")
    second = await gateway.client.get("/healthz", headers={"X-Correlation-ID": "bad id with spaces"})

    assert len(first.headers["X-Correlation-ID"]) == 36
    assert second.headers["X-Correlation-ID"] != "bad id with spaces"


async def test_health_readiness_and_metrics_answer(gateway: Gateway) -> None:
    await gateway.client.get("/v1/editions")

    assert (await gateway.client.get("/healthz")).json() == {"alive": True}
    assert (await gateway.client.get("/readyz")).status_code == 200
    metrics = (await gateway.client.get("/metrics")).text
    assert 'koos_http_requests_total{method="GET",route="/v1/editions",service="gateway",status="401"}' in metrics


async def test_readiness_is_503_when_a_server_does_not_answer(gateway: Gateway) -> None:
    async def kafka_down() -> dict[str, bool]:
        return {"kafka": False, "mongo": True}

    gateway.app.state.readiness = kafka_down

    answer = await gateway.client.get("/readyz")

    assert answer.status_code == 503
    assert answer.json() == {"ready": False, "checks": {"kafka": False, "mongo": True}}


async def test_the_openapi_document_lists_every_route_with_tags_and_typed_answers(gateway: Gateway) -> None:
    document = (await gateway.client.get("/openapi.json")).json()

    operations = [op for path in document["paths"].values() for op in path.values()]
    assert all(op.get("tags") for op in operations)
    assert "EditionPublic" in document["components"]["schemas"]
    assert "RegistrationAccepted" in document["components"]["schemas"]
    assert "HTTPValidationError" not in document["components"]["schemas"]


async def test_the_web_front_ends_origin_may_call_and_read_the_correlation_id(gateway: Gateway) -> None:
    app = create_app(gateway.ports, HttpSettings(cors_origins=("https://app.koos.example",)))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gateway.test") as client:
        preflight = await client.options("/v1/editions", headers={
            "Origin": "https://app.koos.example", "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization,content-type"})
        answer = await client.get("/healthz", headers={"Origin": "https://app.koos.example"})

    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == "https://app.koos.example"
    assert "X-Correlation-ID" in answer.headers["access-control-expose-headers"]


async def test_a_command_its_contract_refuses_is_a_422_and_any_other_model_failing_is_a_500() -> None:
    request = Request({"type": "http", "method": "PUT", "path": "/", "headers": []})
    errors = []
    for build in (lambda: PlanWorkshops(programme_id=uuid4(), workshops=()), lambda: Venue.model_validate({})):
        try:
            build()
        except pydantic.ValidationError as error:
            errors.append(error)

    command, other = [await on_command_invalid(request, error) for error in errors]

    assert command.status_code == 422 and b'"field":"body.workshops"' in command.body
    assert other.status_code == 500
