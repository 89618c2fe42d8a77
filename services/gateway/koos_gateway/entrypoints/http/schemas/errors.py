"""The one shape of every error the gateway answers."""

from typing import Any

from pydantic import BaseModel, Field


class ErrorDetail(BaseModel):
    """One problem with the request, e.g. one invalid field."""

    field: str | None = Field(default=None, description="Where, e.g. `body.sessions.0.end`.")
    reason: str


class ErrorInfo(BaseModel):
    """A stable `code` for programs and a `reason` for people."""

    code: str = Field(examples=["validation_failed", "not_found", "registration_closed"])
    reason: str
    details: list[ErrorDetail] = Field(default_factory=list)


class ErrorBody(BaseModel):
    """`{"error": {"code": ..., "reason": ..., "details": [...]}}`."""

    error: ErrorInfo


_DESCRIPTIONS = {
    401: "No credentials, or invalid, expired or revoked ones.",
    403: "The caller's role may not do this.",
    404: "Unknown, or belonging to another organisation.",
    409: "The state of things refuses the request (e.g. registration is closed).",
    422: "The request is invalid, or the owning service refused it; the reason says which.",
    429: "Too many requests from this address; see Retry-After.",
    503: "Kafka or the database does not answer; try again.",
}


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI documentation of the errors a route may answer; any request may fail validation (422)."""
    return {status: {"model": ErrorBody, "description": _DESCRIPTIONS[status]} for status in {*statuses, 422}}
