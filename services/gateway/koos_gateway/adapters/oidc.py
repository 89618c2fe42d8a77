"""Staff tokens from an OpenID Connect provider: RS256/ES256 access tokens checked against the provider's JWKS.

The provider's keys are fetched at start-up and again every so often in the background, so a request never
waits for them; a token signed with a key not seen yet is refused until the next refresh. Claims are mapped to
what the gateway understands: `sub`, the organisation (`KOOS_OIDC_ORG_CLAIM`, default `org`) and the role
(`KOOS_OIDC_ROLE_CLAIM`, default `role`; a list of roles gives the first one Koos knows). Tokens the provider
did not sign go on to the gateway's own checks (participant tokens, HS256 staff tokens).
"""

from collections.abc import Sequence
from typing import Any

import httpx
import jwt

from koos_gateway.domain.access import JUROR, MENTOR, OPERATOR, ORGANISER, PARTICIPANT, PARTNER, TRAINER, Caller
from koos_gateway.domain.errors import NotAuthenticated
from koos_gateway.service_layer.ports import TokenService
from koos_kit.logging import get_logger

log = get_logger("koos.gateway.oidc")

ALGORITHMS = ("RS256", "ES256")
KNOWN_ROLES = (ORGANISER, TRAINER, OPERATOR, JUROR, MENTOR)


class ProviderKeys:
    """The signing keys an OpenID Connect provider publishes, by key id."""

    def __init__(self, issuer: str, jwks_url: str = "", timeout: float = 5.0,
                 transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.issuer = issuer.rstrip("/")
        self._jwks_url = jwks_url
        self._timeout = timeout
        self._transport = transport
        self._keys: dict[str, Any] = {}

    async def refresh(self) -> None:
        """Fetch the keys again (the JWKS address from the discovery document unless configured); keep the old
        ones when the provider does not answer."""
        try:
            async with httpx.AsyncClient(timeout=self._timeout, transport=self._transport) as client:
                url = self._jwks_url or (await _json(client, f"{self.issuer}/.well-known/openid-configuration"))[
                    "jwks_uri"]
                keys = jwt.PyJWKSet.from_dict(await _json(client, url)).keys
        except (httpx.HTTPError, KeyError, ValueError, jwt.PyJWTError) as error:
            log.warning("the identity provider's keys could not be fetched", error_type=type(error).__name__)
            return
        self._keys = {key.key_id or "": key.key for key in keys}

    def key(self, key_id: str | None) -> Any | None:
        """The key with this id (the only one, when the token names none)."""
        if key_id is None and len(self._keys) == 1:
            return next(iter(self._keys.values()))
        return self._keys.get(key_id or "")


class OidcTokens(TokenService):
    """Accepts the provider's access tokens for staff, and hands every other token to the gateway's own checks."""

    def __init__(self, inner: TokenService, keys: ProviderKeys, audience: str, org_claim: str = "org",
                 role_claim: str = "role", algorithms: Sequence[str] = ALGORITHMS,
                 max_lifetime_seconds: int = 12 * 3600) -> None:
        self._inner = inner
        self._max_lifetime = max_lifetime_seconds
        self._keys = keys
        self._audience = audience
        self._org_claim = org_claim
        self._role_claim = role_claim
        self._algorithms = list(algorithms)

    def caller(self, token: str) -> Caller:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError:
            return self._inner.caller(token)
        if header.get("alg") not in self._algorithms:
            return self._inner.caller(token)
        key = self._keys.key(header.get("kid"))
        if key is None:
            raise NotAuthenticated("the token is signed with a key the identity provider does not publish")
        return self._staff(self._claims(token, key))

    def _claims(self, token: str, key: Any) -> dict[str, Any]:
        try:
            claims: dict[str, Any] = jwt.decode(token, key, algorithms=self._algorithms, audience=self._audience,
                                                issuer=self._keys.issuer,
                                                options={"require": ["sub", "iss", "exp", "aud", "iat"]})
        except jwt.ExpiredSignatureError as error:
            raise NotAuthenticated("the token has expired") from error
        except jwt.PyJWTError as error:
            raise NotAuthenticated("the token is not valid") from error
        if int(claims["exp"]) - int(claims["iat"]) > self._max_lifetime:
            raise NotAuthenticated(f"the token lives longer than the {self._max_lifetime} s a staff token may")
        return claims

    def _staff(self, claims: dict[str, Any]) -> Caller:
        organisation_id = str(claims.get(self._org_claim) or "")
        role = _role(claims.get(self._role_claim))
        if not organisation_id or role is None:
            raise NotAuthenticated(f"the token carries no organisation ({self._org_claim}) or no Koos role "
                                   f"({self._role_claim})")
        return Caller.staff(organisation_id, str(claims["sub"]), role)


def _role(claimed: Any) -> str | None:
    roles = claimed if isinstance(claimed, list) else [claimed]
    if any(r in (PARTNER, PARTICIPANT) for r in roles):
        return None
    return next((str(r) for r in roles if r in KNOWN_ROLES), None)


async def _json(client: httpx.AsyncClient, url: str) -> dict[str, Any]:
    answer = await client.get(url)
    answer.raise_for_status()
    document = answer.json()
    if not isinstance(document, dict):
        raise ValueError("not a JSON object")
    return document


def oidc_tokens(inner: TokenService, settings: Any, wiring: Any) -> OidcTokens:
    """The provider's tokens on top of the gateway's own, with the keys refreshed in the background."""
    keys = ProviderKeys(settings.oidc_issuer, settings.oidc_jwks_url)
    wiring.on_startup(keys.refresh)
    wiring.every(settings.oidc_keys_refresh_seconds, keys.refresh, "oidc-keys")
    log.info("accepting staff tokens of an OpenID Connect provider", issuer=keys.issuer)
    return OidcTokens(inner, keys, settings.oidc_audience, settings.oidc_org_claim, settings.oidc_role_claim,
                      max_lifetime_seconds=int(settings.jwt_max_lifetime_hours * 3600))
