"""Turning credentials (a bearer token or a partner's API key) into a caller."""

from koos_gateway.domain.access import Caller
from koos_gateway.domain.api_keys import fingerprint
from koos_gateway.domain.errors import NotAuthenticated
from koos_gateway.service_layer.unit import Ports


async def caller_from(bearer: str | None, api_key: str | None, ports: Ports) -> Caller | None:
    """The caller the credentials name, None without credentials; invalid ones are refused."""
    if api_key:
        return await _partner(api_key, ports)
    if bearer:
        return ports.tokens.caller(bearer)
    return None


async def _partner(api_key: str, ports: Ports) -> Caller:
    key = await ports.api_keys.active_by_fingerprint(fingerprint(api_key))
    if key is None:
        raise NotAuthenticated("unknown or revoked API key")
    return Caller.partner(key.organisation_id, key.key_id)
