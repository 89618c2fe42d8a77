"""Bearer tokens (JWT, HS256).

Staff tokens are minted elsewhere (the CLI, an identity provider) and signed with `KOOS_JWT_SECRET`;
their claims: `sub`, `org`, `role` (organiser, trainer, operator, ...), `iss` ("koos"), `exp`, `iat`.
Participant tokens are mailed to the person by the notifications service and signed with
`KOOS_PARTICIPANT_TOKEN_SECRET` (see `koos_kit.participant_tokens`); a staff-signed token never
speaks for a participant.
"""

from typing import Any

import jwt

from koos_gateway.domain.access import PARTICIPANT, PARTNER, Caller
from koos_gateway.domain.errors import NotAuthenticated
from koos_gateway.service_layer.ports import TokenService
from koos_kit.participant_tokens import InvalidParticipantToken, mint_participant_token, read_participant_token

ALGORITHM = "HS256"
REQUIRED_CLAIMS = ["sub", "org", "role", "iss", "exp"]


class JwtTokens(TokenService):
    """Checks staff tokens with one secret and participant tokens with another."""

    def __init__(self, secret: str, issuer: str, participant_secret: str, participant_lifetime_seconds: int) -> None:
        self._secret = secret
        self._issuer = issuer
        self._participant_secret = participant_secret
        self._participant_lifetime = participant_lifetime_seconds

    def participant_token(self, organisation_id: str, person_id: str) -> str:
        return mint_participant_token(self._participant_secret, organisation_id, person_id,
                                      lifetime_seconds=self._participant_lifetime, issuer=self._issuer)

    def caller(self, token: str) -> Caller:
        try:
            participant = read_participant_token(self._participant_secret, token, self._issuer)
        except InvalidParticipantToken as error:
            if "expired" in str(error):
                raise NotAuthenticated(str(error)) from error
            return self._staff(token)
        return Caller.participant(participant.organisation_id, participant.person_id)

    def _staff(self, token: str) -> Caller:
        claims = self._claims(token)
        subject, organisation_id, role = (str(claims[name]) for name in ("sub", "org", "role"))
        if role in (PARTNER, PARTICIPANT) or not (subject and organisation_id and role):
            raise NotAuthenticated("the token's claims are not valid")
        return Caller.staff(organisation_id, subject, role)

    def _claims(self, token: str) -> dict[str, Any]:
        try:
            return jwt.decode(token, self._secret, algorithms=[ALGORITHM], issuer=self._issuer,
                              options={"require": REQUIRED_CLAIMS})
        except jwt.ExpiredSignatureError as error:
            raise NotAuthenticated("the token has expired") from error
        except jwt.PyJWTError as error:
            raise NotAuthenticated("the token is not valid") from error
