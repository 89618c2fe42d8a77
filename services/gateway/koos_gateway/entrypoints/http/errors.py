"""Every error as JSON of one shape: gateway refusals, validation, unknown routes, unavailable servers."""

from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from starlette.exceptions import HTTPException

from koos_contracts import Command
from koos_contracts.catalogue import MESSAGE_TYPES
from koos_gateway.adapters.failures import STORE_UNAVAILABLE
from koos_gateway.domain import errors
from koos_kit.logging import get_logger

log = get_logger("koos.gateway.http")

STATUS_OF: dict[type[errors.GatewayError], int] = {
    errors.NotAuthenticated: 401,
    errors.NotAllowed: 403,
    errors.NotFound: 404,
    errors.Conflict: 409,
    errors.Refused: 422,
    errors.RateLimited: 429,
    errors.Unavailable: 503,
}
_HTTP_CODES = {404: "not_found", 405: "method_not_allowed", 406: "not_acceptable", 415: "unsupported_media_type"}


def error_response(status: int, code: str, reason: str, details: Sequence[dict[str, Any]] = (),
                   headers: Mapping[str, str] | None = None) -> JSONResponse:
    """The one error shape."""
    body = {"error": {"code": code, "reason": reason, "details": list(details)}}
    return JSONResponse(body, status_code=status, headers=headers)


async def on_gateway_error(request: Request, error: Exception) -> JSONResponse:
    """A refusal of the gateway's own rules."""
    assert isinstance(error, errors.GatewayError)
    status = next(s for kind, s in STATUS_OF.items() if isinstance(error, kind))
    return error_response(status, error.code, error.reason, error.details, _headers_for(error))


async def on_validation_error(request: Request, error: Exception) -> JSONResponse:
    """A request that does not match its schema: every problem, with where it is."""
    assert isinstance(error, RequestValidationError)
    details = [{"field": ".".join(str(part) for part in e["loc"]), "reason": e["msg"]} for e in error.errors()]
    first = f"{details[0]['field']}: {details[0]['reason']}" if details else "invalid request"
    return error_response(422, "validation_failed", f"the request is not valid: {first}", details)


COMMAND_NAMES = frozenset(t.__name__ for t in MESSAGE_TYPES.values() if issubclass(t, Command))


async def on_command_invalid(request: Request, error: Exception) -> JSONResponse:
    """A request the route's schema took, but the command it makes breaks its contract's rules (a rule the body
    schema cannot state): invalid like any other request (422). Any other model failing is a bug (500)."""
    assert isinstance(error, ValidationError)
    if error.title not in COMMAND_NAMES:
        return await on_unexpected(request, error)
    details = [{"field": "body." + ".".join(str(part) for part in e["loc"]), "reason": e["msg"]}
               for e in error.errors()]
    first = f"{details[0]['field']}: {details[0]['reason']}" if details else "invalid request"
    return error_response(422, "validation_failed", f"the request is not valid: {first}", details)


async def on_http_error(request: Request, error: Exception) -> JSONResponse:
    """Unknown routes, wrong methods and the like; a body that cannot be parsed is invalid like any other (422)."""
    assert isinstance(error, HTTPException)
    if error.status_code == 400:
        return error_response(422, "validation_failed", f"the request is not valid: {error.detail}")
    code = _HTTP_CODES.get(error.status_code, "http_error")
    return error_response(error.status_code, code, str(error.detail), headers=error.headers)


async def on_store_unavailable(request: Request, error: Exception) -> JSONResponse:
    """The database does not answer."""
    log.warning("database unavailable", error_type=type(error).__name__)
    return error_response(503, "store_unavailable", "the database does not answer; try again shortly",
                          headers={"Retry-After": "5"})


async def on_unexpected(request: Request, error: Exception) -> JSONResponse:
    """A bug: logged with its trace, answered without details."""
    log.exception("unexpected error", error_type=type(error).__name__)
    return error_response(500, "internal_error", "something went wrong on our side")


def install(app: FastAPI) -> None:
    """Register the error handlers."""
    app.add_exception_handler(errors.GatewayError, on_gateway_error)
    app.add_exception_handler(RequestValidationError, on_validation_error)
    app.add_exception_handler(ValidationError, on_command_invalid)
    app.add_exception_handler(HTTPException, on_http_error)
    for kind in STORE_UNAVAILABLE:
        app.add_exception_handler(kind, on_store_unavailable)
    app.add_exception_handler(Exception, on_unexpected)


def _headers_for(error: errors.GatewayError) -> dict[str, str] | None:
    if isinstance(error, errors.RateLimited):
        return {"Retry-After": str(max(1, round(error.retry_after + 0.5)))}
    if isinstance(error, errors.NotAuthenticated):
        return {"WWW-Authenticate": "Bearer"}
    if isinstance(error, errors.Unavailable):
        return {"Retry-After": "5"}
    return None
