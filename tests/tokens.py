"""Credentials as the tests make them: staff tokens as the CLI or an identity provider signs them, and
participant tokens as the notifications service signs them (one key pair per test session)."""

import time

import jwt

from koos_kit.participant_tokens import ParticipantTokenSigner, ParticipantTokenVerifier, new_key_pair, private_key

PARTICIPANT_PRIVATE_KEY, PARTICIPANT_PUBLIC_KEY = new_key_pair()
SIGNER = ParticipantTokenSigner(private_key(PARTICIPANT_PRIVATE_KEY), "koos", 3600)
VERIFIER = ParticipantTokenVerifier(private_key(PARTICIPANT_PRIVATE_KEY).public_key(), "koos")
AUDIENCE = "koos-gateway"


def participant_token(organisation_id: str, person_id: str, registration_id: str, *, now: float | None = None) -> str:
    """A participant token as a mail carries it."""
    return SIGNER.mint(organisation_id, person_id, registration_id, now=now)


def staff_jwt(secret: str, organisation_id: str, role: str = "organiser", subject: str = "staff-1", *,
              issuer: str = "koos", audience: str | None = AUDIENCE, lifetime: int = 3600,
              issued_at: int | None = None) -> str:
    """A staff token: sub, org, role, iss, aud, iat, exp; HS256 with the staff secret."""
    now = int(time.time()) if issued_at is None else issued_at
    claims: dict[str, object] = {"sub": subject, "org": organisation_id, "role": role, "iss": issuer, "iat": now,
                                 "exp": now + lifetime}
    if audience is not None:
        claims["aud"] = audience
    return jwt.encode(claims, secret, algorithm="HS256")
