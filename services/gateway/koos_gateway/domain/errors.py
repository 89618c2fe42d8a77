"""Why the gateway refuses a request: a stable code for programs and a reason for people."""

from typing import Any


class GatewayError(Exception):
    """A refused request; entrypoints turn it into an HTTP error with the same code and reason."""

    code = "error"

    def __init__(self, reason: str, *, code: str | None = None, details: list[dict[str, Any]] | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.code = code or type(self).code
        self.details = details or []


class NotAuthenticated(GatewayError):
    """No credentials, or credentials that are invalid, expired or revoked."""

    code = "not_authenticated"


class NotAllowed(GatewayError):
    """The caller is known but their role may not do this."""

    code = "forbidden"


class NotFound(GatewayError):
    """Unknown, or belonging to another organisation: both look the same."""

    code = "not_found"


class Conflict(GatewayError):
    """The request is valid but the state of things refuses it (e.g. registration is closed)."""

    code = "conflict"


class Refused(GatewayError):
    """The owning service refused the command, with its reason."""

    code = "refused"


class RateLimited(GatewayError):
    """Too many requests from one client address; try again after `retry_after` seconds."""

    code = "rate_limited"

    def __init__(self, retry_after: float) -> None:
        super().__init__(f"too many requests; try again in {max(1, round(retry_after))} s")
        self.retry_after = retry_after


class Unavailable(GatewayError):
    """A server the gateway depends on does not answer."""

    code = "unavailable"
