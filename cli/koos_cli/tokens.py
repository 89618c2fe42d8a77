"""Bearer tokens for staff, as the gateway expects them (HS256 with the stack's secret, for the gateway's
audience, at most 12 hours)."""

import time

import jwt

ISSUER = "koos"
AUDIENCE = "koos-gateway"


def staff_token(secret: str, *, organisation_id: str, role: str, subject: str, hours: float = 12.0) -> str:
    """A signed token carrying the organisation and the role."""
    now = int(time.time())
    claims = {"sub": subject, "org": organisation_id, "role": role, "iss": ISSUER, "aud": AUDIENCE, "iat": now,
              "exp": now + int(hours * 3600)}
    return jwt.encode(claims, secret, algorithm="HS256")
