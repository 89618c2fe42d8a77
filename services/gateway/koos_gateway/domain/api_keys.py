"""API keys of partner systems: each bound to one organisation, stored only as a SHA-256 fingerprint."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

PREFIX = "koos_"


@dataclass(frozen=True)
class ApiKey:
    """A partner's key, without its secret."""

    key_id: str
    organisation_id: str
    label: str
    created_at: datetime
    created_by: str
    revoked_at: datetime | None = None

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


def new_secret() -> str:
    """A fresh secret, shown once to the operator who asked for it."""
    return PREFIX + secrets.token_urlsafe(32)


def fingerprint(secret: str) -> str:
    """What is stored instead of the secret."""
    return hashlib.sha256(secret.encode()).hexdigest()
