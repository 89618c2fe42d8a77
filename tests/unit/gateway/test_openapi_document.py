"""What a client generator reads in the gateway's OpenAPI document: stable operation ids, every credential as
a scheme, the headers the answers carry, and request examples the gateway itself accepts."""

import re
from typing import Any

from koos_gateway.entrypoints.http.openapi import BODY_EXAMPLES
from tests.unit.gateway.harness import Gateway, staff


async def _document(gateway: Gateway) -> dict[str, Any]:
    return (await gateway.client.get("/openapi.json")).json()


def _operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(method.upper(), path, op) for path, ops in document["paths"].items() for method, op in ops.items()]


async def test_every_operation_has_a_stable_camel_case_operation_id(gateway: Gateway) -> None:
    operations = _operations(await _document(gateway))
    ids = [op["operationId"] for _, _, op in operations]

    assert len(ids) == len(set(ids)) and all(re.fullmatch(r"[a-z][A-Za-z]+", i) for i in ids)
    by_route = {(method, path): op["operationId"] for method, path, op in operations}
    assert by_route[("POST", "/v1/public/editions/{edition_id}/registrations")] == "signUp"
    assert by_route[("GET", "/v1/commands/{command_id}")] == "getCommand"
    assert by_route[("DELETE", "/v1/registrations/{registration_id}")] == "cancelRegistration"


async def test_staff_participant_and_partner_credentials_are_security_schemes(gateway: Gateway) -> None:
    document = await _document(gateway)
    schemes = document["components"]["securitySchemes"]
    by_id = {op["operationId"]: op for _, _, op in _operations(document)}

    assert set(schemes) == {"staffJwt", "participantToken", "participantLink", "partnerApiKey"}
    assert schemes["participantLink"] == {**schemes["participantLink"], "in": "query", "name": "token"}
    assert {next(iter(r)) for r in by_id["getRegistration"]["security"]} == set(schemes)
    assert by_id["signUp"]["security"] == [] and by_id["getPublicEdition"]["security"] == []
    assert not any(p["name"] == "token" for p in by_id["getRegistration"].get("parameters", []))


async def test_answers_document_location_retry_after_and_the_correlation_id(gateway: Gateway) -> None:
    by_id = {op["operationId"]: op for _, _, op in _operations(await _document(gateway))}

    answers = [answer for op in by_id.values() for answer in op["responses"].values()]
    sign_up = by_id["signUp"]["responses"]
    assert all("X-Correlation-ID" in answer["headers"] for answer in answers)
    assert {"Location", "X-Correlation-ID"} <= set(sign_up["202"]["headers"])
    assert "Location" in sign_up["201"]["headers"]
    assert "Retry-After" in sign_up["429"]["headers"] and "Retry-After" in sign_up["503"]["headers"]
    assert "Location" in by_id["cancelRegistration"]["responses"]["202"]["headers"]


async def test_the_documented_examples_are_accepted_by_the_gateway(gateway: Gateway) -> None:
    document = await _document(gateway)
    plan = await gateway.publish_edition()
    by_id = {op["operationId"]: op for _, _, op in _operations(document)}

    shown = {i for i, op in by_id.items() if "example" in op.get("requestBody", {}).get("content", {}).get(
        "application/json", {})}
    sign_up = await gateway.client.post(f"/v1/public/editions/{plan.edition_id}/registrations",
                                        json=BODY_EXAMPLES["signUp"])
    published = await gateway.client.post("/v1/editions", json=BODY_EXAMPLES["publishEdition"], headers=staff())

    assert shown == set(BODY_EXAMPLES)
    assert sign_up.status_code in (201, 202) and sign_up.headers["Location"]
    assert published.status_code in (201, 202), published.text


async def test_every_route_that_takes_a_body_documents_the_413_of_a_body_over_its_limit(gateway: Gateway) -> None:
    operations = _operations(await _document(gateway))
    missing = [f"{method} {path}" for method, path, op in operations
               if "requestBody" in op and "application/json" not in op["responses"].get("413", {}).get("content", {})]

    assert missing == [] and any("requestBody" in op for _, _, op in operations)


async def test_a_text_answer_documents_its_errors_as_json(gateway: Gateway) -> None:
    operations = {(method, path): op for method, path, op in _operations(await _document(gateway))}
    summary = operations[("GET", "/v1/privacy/requests/{request_id}/summary")]["responses"]

    assert "text/plain" in summary["200"]["content"]
    assert list(summary["401"]["content"]) == ["application/json"]
