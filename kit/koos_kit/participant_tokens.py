"""Participant tokens: signed links mailed to a person, never handed out to whoever asks.

The notifications service mints them into its mails; the gateway accepts them. They are signed with
their own secret (`KOOS_PARTICIPANT_TOKEN_SECRET`), apart from staff tokens, so that a service that
mails links cannot mint an organiser's token.
"""

import time
from dataclasses import dataclass

import jwt

ROLE = "participant"
ALGORITHM = "HS256"
ISSUER = "koos"


class InvalidParticipantToken(ValueError):
    """A token that is not a valid participant token, with the reason."""


@dataclass(frozen=True)
class ParticipantClaims:
    """Whom a participant token speaks for."""

    organisation_id: str
    person_id: str


def mint_participant_token(secret: str, organisation_id: str, person_id: str, *, lifetime_seconds: int,
                           issuer: str = ISSUER, now: float | None = None) -> str:
    """A token that lets one person follow and manage their own registrations."""
    issued = int(now if now is not None else time.time())
    claims = {"sub": person_id, "org": organisation_id, "role": ROLE, "iss": issuer, "iat": issued,
              "exp": issued + lifetime_seconds}
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def read_participant_token(secret: str, token: str, issuer: str = ISSUER) -> ParticipantClaims:
    """The person a token speaks for; InvalidParticipantToken when it is forged, expired or not a participant's."""
    try:
        claims = jwt.decode(token, secret, algorithms=[ALGORITHM], issuer=issuer,
                            options={"require": ["sub", "org", "role", "iss", "exp"]})
    except jwt.ExpiredSignatureError as error:
        raise InvalidParticipantToken("the token has expired") from error
    except jwt.PyJWTError as error:
        raise InvalidParticipantToken("the token is not valid") from error
    if claims["role"] != ROLE or not claims["sub"] or not claims["org"]:
        raise InvalidParticipantToken("the token is not a participant's")
    return ParticipantClaims(str(claims["org"]), str(claims["sub"]))
