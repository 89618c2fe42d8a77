"""How a refused registration reads to the caller."""

from koos_gateway.domain.errors import Conflict, GatewayError, NotFound

_CODES = {"not_open_yet": "registration_not_open", "closed": "registration_closed"}


def registration_refusal(reason_code: str | None, reason: str | None) -> GatewayError:
    """The error for a registration the registration service refused."""
    text = reason or "registration refused"
    if reason_code == "unknown_edition":
        return NotFound(text)
    return Conflict(text, code=_CODES.get(reason_code or "", "registration_refused"))
