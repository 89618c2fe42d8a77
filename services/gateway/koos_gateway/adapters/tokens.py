"""Bearer tokens (JWT): staff tokens (HS256) and participant tokens (EdDSA), told apart by their algorithm.

Staff tokens are minted elsewhere (the CLI, an identity provider) and signed with `KOOS_JWT_SECRET`; their
claims: `sub`, `org`, `role` (organiser, trainer, operator, ...), `iss`, `aud`, `iat`, `exp`, and they may
live at most `KOOS_JWT_MAX_LIFETIME_HOURS`. Participant tokens are signed by the notifications service with
its private key and checked here with the public key only (see `koos_kit.participant_tokens`); a token
signed with the staff secret never speaks for a participant.
"""

from dataclasses import dataclass, field
from typing import Any

import jwt

from koos_gateway.domain.access import PARTICIPANT, PARTNER, Caller
from koos_gateway.domain.errors import NotAuthenticated
from koos_gateway.service_layer.ports import TokenService
from koos_kit.participant_tokens import ALGORITHM as PARTICIPANT_ALGORITHM
from koos_kit.participant_tokens import InvalidParticipantToken, ParticipantTokenVerifier

STAFF_ALGORITHM = "HS256"
REQUIRED_CLAIMS = ["sub", "org", "role", "iss", "aud", "iat", "exp"]


@dataclass(frozen=True)
class StaffTokenRules:
    """How a staff token must be signed and what it must claim."""

    secret: str = field(repr=False)
    issuer: str = "koos"
    audience: str = "koos-gateway"
    max_lifetime_seconds: int = 12 * 3600


class JwtTokens(TokenService):
    """Checks staff tokens with the staff secret and participant tokens with the participants' public key."""

    def __init__(self, staff: StaffTokenRules, participants: ParticipantTokenVerifier) -> None:
        self._staff_rules = staff
        self._participants = participants

    def caller(self, token: str) -> Caller:
        try:
            algorithm = jwt.get_unverified_header(token).get("alg")
        except jwt.PyJWTError as error:
            raise NotAuthenticated("the token is not valid") from error
        if algorithm == PARTICIPANT_ALGORITHM:
            return self._participant(token)
        return self._staff(token)

    def _participant(self, token: str) -> Caller:
        try:
            claims = self._participants.read(token)
        except InvalidParticipantToken as error:
            raise NotAuthenticated(str(error)) from error
        return Caller.participant(claims.organisation_id, claims.person_id, registration_id=claims.registration_id)

    def _staff(self, token: str) -> Caller:
        claims = self._claims(token)
        subject, organisation_id, role = (str(claims[name]) for name in ("sub", "org", "role"))
        if role in (PARTNER, PARTICIPANT) or not (subject and organisation_id and role):
            raise NotAuthenticated("the token's claims are not valid")
        if int(claims["exp"]) - int(claims["iat"]) > self._staff_rules.max_lifetime_seconds:
            raise NotAuthenticated(f"the token lives longer than the {self._staff_rules.max_lifetime_seconds} s "
                                   f"a staff token may")
        return Caller.staff(organisation_id, subject, role)

    def _claims(self, token: str) -> dict[str, Any]:
        rules = self._staff_rules
        try:
            return jwt.decode(token, rules.secret, algorithms=[STAFF_ALGORITHM], issuer=rules.issuer,
                              audience=rules.audience, options={"require": REQUIRED_CLAIMS})
        except jwt.ExpiredSignatureError as error:
            raise NotAuthenticated("the token has expired") from error
        except jwt.PyJWTError as error:
            raise NotAuthenticated("the token is not valid") from error
