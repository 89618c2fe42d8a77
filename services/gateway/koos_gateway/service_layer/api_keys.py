"""Partner API keys, managed by platform operators for any organisation."""

from dataclasses import dataclass
from uuid import uuid4

from koos_gateway.domain.access import OPERATOR, Caller
from koos_gateway.domain.api_keys import ApiKey, fingerprint, new_secret
from koos_gateway.domain.errors import NotFound
from koos_gateway.service_layer.unit import Ports


@dataclass(frozen=True)
class IssuedKey:
    """A new key and its secret, which is shown this once and never stored."""

    key: ApiKey
    secret: str


async def issue(organisation_id: str, label: str, caller: Caller, ports: Ports) -> IssuedKey:
    """Create a key bound to one organisation."""
    caller.require(OPERATOR)
    secret = new_secret()
    key = ApiKey(key_id=str(uuid4()), organisation_id=organisation_id, label=label,
                 created_at=ports.clock.now(), created_by=caller.subject)
    await ports.api_keys.add(key, fingerprint(secret))
    return IssuedKey(key, secret)


async def revoke(key_id: str, caller: Caller, ports: Ports) -> ApiKey:
    """Revoke a key; it stops working at once (revoking twice is harmless)."""
    caller.require(OPERATOR)
    key = await ports.api_keys.get(key_id)
    if key is None:
        raise NotFound("no such API key")
    if key.is_active:
        await ports.api_keys.revoke(key_id, ports.clock.now())
    return await ports.api_keys.get(key_id) or key


async def listed(organisation_id: str | None, caller: Caller, ports: Ports) -> list[ApiKey]:
    """Keys of one organisation or of all."""
    caller.require(OPERATOR)
    return await ports.api_keys.listed(organisation_id)
