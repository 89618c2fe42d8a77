"""Bearer tokens (JWT, HS256): staff tokens are minted elsewhere (the CLI, an identity provider); the
gateway mints participant tokens.

Claims: `sub` (user id; for participants the person id), `org` (organisation id), `role` (organiser,
trainer, operator, ... or participant), `iss` (the configured issuer, "koos"), `exp` and `iat` (seconds).
"""

import time
from typing import Any

import jwt

from koos_gateway.domain.access import PARTICIPANT, PARTNER, Caller
from koos_gateway.domain.errors import NotAuthenticated
from koos_gateway.service_layer.ports import TokenService

ALGORITHM = "HS256"
REQUIRED_CLAIMS = ["sub", "org", "role", "iss", "exp"]


class JwtTokens(TokenService):
    """Signs and checks tokens with one shared secret."""

    def __init__(self, secret: str, issuer: str, participant_lifetime_seconds: int) -> None:
        self._secret = secret
        self._issuer = issuer
        self._participant_lifetime = participant_lifetime_seconds

    def participant_token(self, organisation_id: str, person_id: str) -> str:
        now = int(time.time())
        claims = {"sub": person_id, "org": organisation_id, "role": PARTICIPANT, "iss": self._issuer,
                  "iat": now, "exp": now + self._participant_lifetime}
        return jwt.encode(claims, self._secret, algorithm=ALGORITHM)

    def caller(self, token: str) -> Caller:
        claims = self._claims(token)
        subject, organisation_id, role = (str(claims[name]) for name in ("sub", "org", "role"))
        if role == PARTNER or not (subject and organisation_id and role):
            raise NotAuthenticated("the token's claims are not valid")
        if role == PARTICIPANT:
            return Caller.participant(organisation_id, subject)
        return Caller.staff(organisation_id, subject, role)

    def _claims(self, token: str) -> dict[str, Any]:
        try:
            return jwt.decode(token, self._secret, algorithms=[ALGORITHM], issuer=self._issuer,
                              options={"require": REQUIRED_CLAIMS})
        except jwt.ExpiredSignatureError as error:
            raise NotAuthenticated("the token has expired") from error
        except jwt.PyJWTError as error:
            raise NotAuthenticated("the token is not valid") from error
