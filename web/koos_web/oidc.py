"""Organisers sign in at an OpenID Connect provider: the authorization code flow with PKCE (S256).

The web is a confidential client: it sends the browser to the provider with a fresh `state`, `nonce` and
code challenge kept in the (encrypted) session, takes the code back at `/staff/oidc/callback`, exchanges it
with its client secret and the code verifier, and checks the ID token (signature against the provider's
JWKS, issuer, audience = client id, nonce, expiry). The access token goes to the gateway as the bearer: the
gateway checks it itself (its `KOOS_OIDC_*` settings) and maps its claims to the organisation and role.
"""

import base64
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import httpx
import jwt


class SignInFailed(Exception):
    """The provider refused, or what came back does not check out; the reason is for the log."""


@dataclass(frozen=True)
class Started:
    """Where to send the browser, and what the session keeps until it comes back."""

    redirect_to: str
    pending: dict[str, str]


@dataclass(frozen=True)
class SignedIn:
    """An organiser back from the provider."""

    access_token: str
    name: str
    expires_in: int
    refresh_token: str | None = None


class OidcClient:
    """One provider, discovered on first use."""

    def __init__(self, issuer: str, client_id: str, client_secret: str, redirect_uri: str, scopes: str,
                 transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.issuer = issuer.rstrip("/")
        self.client_id = client_id
        self._secret = client_secret
        self.redirect_uri = redirect_uri
        self._scopes = scopes
        self._transport = transport
        self._discovery: dict[str, Any] | None = None

    async def start(self, next_path: str) -> Started:
        """The provider's authorization address for a new sign-in."""
        discovery = await self._discovered()
        state, nonce, verifier = (secrets.token_urlsafe(32) for _ in range(3))
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        query = {"response_type": "code", "client_id": self.client_id, "redirect_uri": self.redirect_uri,
                 "scope": self._scopes, "state": state, "nonce": nonce, "code_challenge": challenge,
                 "code_challenge_method": "S256"}
        return Started(f"{discovery['authorization_endpoint']}?{urlencode(query)}",
                       {"state": state, "nonce": nonce, "verifier": verifier, "next": next_path})

    async def finish(self, pending: dict[str, str] | None, code: str | None, state: str | None) -> SignedIn:
        """Exchange the code, check the ID token, and give the access token for the gateway."""
        if not pending or not code or not state or not secrets.compare_digest(state, pending.get("state", "")):
            raise SignInFailed("no sign-in was started here, or its state does not match")
        discovery = await self._discovered()
        tokens = await self._exchange(discovery["token_endpoint"], code, pending["verifier"])
        claims = await self._checked_id_token(str(tokens.get("id_token", "")), discovery, pending["nonce"])
        access_token = tokens.get("access_token")
        if not access_token:
            raise SignInFailed("the provider gave no access token")
        name = str(claims.get("name") or claims.get("preferred_username") or claims["sub"])
        return SignedIn(str(access_token), name, int(tokens.get("expires_in", 3600)), tokens.get("refresh_token"))

    async def refresh(self, refresh_token: str, name: str) -> SignedIn:
        """A new access token for a signed-in organiser whose token ran out (the provider may rotate the
        refresh token; a refused one means signing in again)."""
        discovery = await self._discovered()
        form = {"grant_type": "refresh_token", "refresh_token": refresh_token}
        async with self._client() as client:
            answer = await client.post(discovery["token_endpoint"], data=form, auth=(self.client_id, self._secret))
        tokens = dict(answer.json()) if answer.status_code == 200 else {}
        if not tokens.get("access_token"):
            raise SignInFailed(f"the provider refused to refresh the sign-in ({answer.status_code})")
        return SignedIn(str(tokens["access_token"]), name, int(tokens.get("expires_in", 3600)),
                        tokens.get("refresh_token") or refresh_token)

    async def _exchange(self, endpoint: str, code: str, verifier: str) -> dict[str, Any]:
        form = {"grant_type": "authorization_code", "code": code, "redirect_uri": self.redirect_uri,
                "code_verifier": verifier}
        async with self._client() as client:
            answer = await client.post(endpoint, data=form, auth=(self.client_id, self._secret))
        if answer.status_code != 200:
            raise SignInFailed(f"the provider refused the code ({answer.status_code})")
        return dict(answer.json())

    async def _checked_id_token(self, id_token: str, discovery: dict[str, Any], nonce: str) -> dict[str, Any]:
        async with self._client() as client:
            jwks = (await client.get(discovery["jwks_uri"])).json()
        try:
            header = jwt.get_unverified_header(id_token)
            keys = {k.key_id: k.key for k in jwt.PyJWKSet.from_dict(jwks).keys}
            key = keys.get(header.get("kid")) or (next(iter(keys.values())) if len(keys) == 1 else None)
            if key is None:
                raise SignInFailed("the ID token is signed with an unknown key")
            claims: dict[str, Any] = jwt.decode(id_token, key, algorithms=["RS256", "ES256"], audience=self.client_id,
                                                issuer=discovery.get("issuer", self.issuer),
                                                options={"require": ["sub", "iss", "aud", "exp"]})
        except jwt.PyJWTError as error:
            raise SignInFailed(f"the ID token does not check out ({type(error).__name__})") from error
        if not secrets.compare_digest(str(claims.get("nonce", "")), nonce):
            raise SignInFailed("the ID token's nonce does not match")
        return claims

    async def _discovered(self) -> dict[str, Any]:
        if self._discovery is None:
            async with self._client() as client:
                answer = await client.get(f"{self.issuer}/.well-known/openid-configuration")
            if answer.status_code != 200:
                raise SignInFailed(f"the provider's discovery document did not load ({answer.status_code})")
            self._discovery = dict(answer.json())
        return self._discovery

    def _client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(timeout=10.0, transport=self._transport)
