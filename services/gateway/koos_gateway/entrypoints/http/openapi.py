"""The gateway's OpenAPI document: stable operation ids, every credential as a security scheme, the headers
each answer carries, and a valid example of every request body."""

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute

from koos_contracts.examples import example_of
from koos_contracts.scheduling import PublishEdition

SECURITY_SCHEMES: dict[str, dict[str, Any]] = {
    "staffJwt": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT",
                 "description": "Staff: a JWT (HS256, or an OpenID Connect provider's) with the claims sub, org, "
                                "role, iss, aud and exp, at most 12 hours long."},
    "participantToken": {"type": "http", "scheme": "bearer", "bearerFormat": "Koos participant token (Ed25519)",
                         "description": "A participant: the token in the links of their mails, good for the one "
                                        "registration it was mailed for."},
    "participantLink": {"type": "apiKey", "in": "query", "name": "token",
                        "description": "The participant token as a mailed link carries it (GET requests only)."},
    "partnerApiKey": {"type": "apiKey", "in": "header", "name": "X-API-Key",
                      "description": "A partner system's key, bound to one organisation."},
}
_BEARER = "bearer"
"""The scheme FastAPI derives from the Authorization header, which carries a staff or a participant token."""

CORRELATION_HEADER = {"X-Correlation-ID": {
    "description": "The request's correlation id (the caller's `X-Correlation-ID` if it was acceptable, else a new "
                   "one); every log line and event of the request carries it.",
    "required": True, "schema": {"type": "string", "maxLength": 128}}}
RETRY_AFTER = {"Retry-After": {"description": "Seconds to wait before trying again.", "required": True,
                               "schema": {"type": "integer", "minimum": 1}}}
LOCATION = {"Location": {"description": "Where to follow the command: its outcome while pending, the resource once "
                                        "decided.", "required": True, "schema": {"type": "string"}}}
_LOCATED = {"publishEdition", "registerParticipant", "signUp", "cancelRegistration", "markSessionHeld",
            "rescheduleSession", "cancelSession"}
"""Operations whose 201 and 202 answers say where to look next."""

PERSON_EXAMPLE = {"email": "kari.nordmann@example.org", "name": "Kari Nordmann", "language": "nb"}
BODY_EXAMPLES: dict[str, Any] = {
    "signUp": PERSON_EXAMPLE,
    "registerParticipant": PERSON_EXAMPLE,
    "publishEdition": example_of(PublishEdition).model_dump(mode="json"),
    "rescheduleSession": {"date": "2027-04-13", "start": "09:00:00", "end": "12:00:00",
                          "venue": {"name": "Oslo rådhus"}},
    "cancelSession": {"reason": "the trainer is ill"},
    "markSessionHeld": {"closes_edition": False},
    "submitFeedback": {"ratings": {"useful": 5, "pace": 4},
                       "comment": "Working across units was the best part."},
    "createApiKey": {"organisation_id": "oslo-kommune", "label": "HR system"},
    "resendLinks": {"email": "kari.nordmann@example.org"},
}


def operation_id(route: APIRoute) -> str:
    """The route function's name in camelCase: stable as long as the function keeps its name."""
    first, *rest = route.name.split("_")
    return first + "".join(part.capitalize() for part in rest)


def install(app: FastAPI) -> None:
    """Serve the documented OpenAPI document (built once)."""

    def document() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(title=app.title, version=app.version, description=app.description,
                                 routes=app.routes, tags=app.openapi_tags)
            app.openapi_schema = documented(schema)
        return app.openapi_schema

    app.openapi = document  # type: ignore[method-assign]


def documented(schema: dict[str, Any]) -> dict[str, Any]:
    """The document FastAPI made, with the schemes, headers and examples added."""
    schema.setdefault("components", {})["securitySchemes"] = SECURITY_SCHEMES
    for path in schema["paths"].values():
        for operation in path.values():
            _secure(operation)
            _too_large(operation)
            _headers(operation)
            _example(operation)
    return schema


def _secure(operation: dict[str, Any]) -> None:
    requirements = operation.get("security")
    if requirements is None:
        operation["security"] = []
        return
    expanded: list[dict[str, list[str]]] = []
    for requirement in requirements:
        expanded += ([{"staffJwt": []}, {"participantToken": []}] if _BEARER in requirement else [requirement])
    operation["security"] = expanded


def _too_large(operation: dict[str, Any]) -> None:
    """Every route that takes a body may refuse one over its limit (a few KB on the public routes) before
    reading it."""
    if "requestBody" in operation:
        error = operation["responses"].get("422", {}).get("content")
        operation["responses"].setdefault("413", {
            "description": "The request body is larger than the route takes (a few KB on public routes).",
            **({"content": error} if error else {})})


def _headers(operation: dict[str, Any]) -> None:
    for status, response in operation["responses"].items():
        headers = dict(CORRELATION_HEADER)
        if status in ("429", "503"):
            headers |= RETRY_AFTER
        if status in ("201", "202") and operation["operationId"] in _LOCATED:
            headers |= LOCATION
        response["headers"] = {**response.get("headers", {}), **headers}


def _example(operation: dict[str, Any]) -> None:
    example = BODY_EXAMPLES.get(operation["operationId"])
    content = operation.get("requestBody", {}).get("content", {}).get("application/json")
    if example is not None and content is not None:
        content["example"] = example
