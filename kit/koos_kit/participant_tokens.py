"""Participant tokens: signed links mailed to a person, never handed out to whoever asks.

The notifications service signs them with a private key (Ed25519, JWT `EdDSA`) into its mails; the gateway
verifies them with the public key alone, so no service that reads tokens can mint one, and a staff token's
secret cannot make one. A token speaks for one person and one registration (`reg`): the gateway lets it act
on that registration only, and stops taking it once the registration is cancelled or its edition is over.

Both services read the same settings class (`ParticipantTokenSettings`), so issuer, keys and lifetime cannot
disagree between them. A key is a base64url Ed25519 key of 32 bytes or a PEM; `new_key_pair()` makes one.
In development mode without keys both services use a key pair derived from a public constant, which
production refuses.
"""

import base64
import hashlib
import time
from dataclasses import dataclass
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from pydantic import Field

from koos_kit.config import ServiceSettings
from koos_kit.secrets import Secret

ROLE = "participant"
ALGORITHM = "EdDSA"
REQUIRED_CLAIMS = ["sub", "org", "reg", "role", "iss", "iat", "exp"]
_DEVELOPMENT_SEED = hashlib.sha256(b"koos development participant tokens, never for production").digest()


class InvalidParticipantToken(ValueError):
    """A token that is not a valid participant token, with the reason."""


class InvalidKey(ValueError):
    """A setting that does not hold an Ed25519 key of the kind asked for."""


@dataclass(frozen=True)
class ParticipantClaims:
    """Whom a participant token speaks for, and for which registration."""

    organisation_id: str
    person_id: str
    registration_id: str
    issued_at: int = 0


class ParticipantTokenSigner:
    """Mints participant tokens with the private key (the notifications service only)."""

    def __init__(self, private_key: Ed25519PrivateKey, issuer: str, lifetime_seconds: int) -> None:
        self._key = private_key
        self._issuer = issuer
        self._lifetime = lifetime_seconds
        self._key_id = key_id(private_key.public_key())

    def mint(self, organisation_id: str, person_id: str, registration_id: str, *, now: float | None = None) -> str:
        """A token that lets one person follow and manage one registration of theirs."""
        issued = int(now if now is not None else time.time())
        claims = {"sub": person_id, "org": organisation_id, "reg": registration_id, "role": ROLE,
                  "iss": self._issuer, "iat": issued, "exp": issued + self._lifetime}
        return jwt.encode(claims, self._key, algorithm=ALGORITHM, headers={"kid": self._key_id})


class ParticipantTokenVerifier:
    """Reads participant tokens with the public key (the gateway); it cannot mint any."""

    def __init__(self, public_key: Ed25519PublicKey, issuer: str) -> None:
        self._key = public_key
        self._issuer = issuer

    def read(self, token: str) -> ParticipantClaims:
        """Whom a token speaks for; InvalidParticipantToken when it is forged, expired or not a participant's."""
        try:
            claims: dict[str, Any] = jwt.decode(token, self._key, algorithms=[ALGORITHM], issuer=self._issuer,
                                                options={"require": REQUIRED_CLAIMS})
        except jwt.ExpiredSignatureError as error:
            raise InvalidParticipantToken("the token has expired") from error
        except jwt.PyJWTError as error:
            raise InvalidParticipantToken("the token is not valid") from error
        if claims["role"] != ROLE or not (claims["sub"] and claims["org"] and claims["reg"]):
            raise InvalidParticipantToken("the token is not a participant's")
        return ParticipantClaims(str(claims["org"]), str(claims["sub"]), str(claims["reg"]), int(claims["iat"]))


class ParticipantTokenSettings(ServiceSettings):
    """Issuer, keys and lifetime of participant tokens (`KOOS_PARTICIPANT_TOKEN_*`), for both services."""

    participant_token_issuer: str = "koos"
    participant_token_days: int = Field(default=180, ge=1, le=730)
    participant_token_private_key: str = Field(default="", repr=False)
    """The signing key: given to the notifications service only."""
    participant_token_public_key: str = ""
    """The key that checks tokens: given to the gateway."""

    def participant_token_signer(self) -> ParticipantTokenSigner:
        """The signer of these settings (the development key in development mode when none is set)."""
        given = self.participant_token_private_key
        key = private_key(given) if given or not self.in_development else development_private_key()
        return ParticipantTokenSigner(key, self.participant_token_issuer, self.participant_token_days * 86_400)

    def participant_token_verifier(self) -> ParticipantTokenVerifier:
        """The verifier of these settings (the development key in development mode when none is set)."""
        given = self.participant_token_public_key
        key = public_key(given) if given or not self.in_development else development_private_key().public_key()
        return ParticipantTokenVerifier(key, self.participant_token_issuer)

    def signing_secret(self) -> Secret:
        """The private key as a secret that must be set outside development mode."""
        return Secret("KOOS_PARTICIPANT_TOKEN_PRIVATE_KEY", self.participant_token_private_key, min_bytes=0,
                      check=_private_key_problem)

    def verifying_key(self) -> Secret:
        """The public key, which must be set (and not the development one) outside development mode."""
        return Secret("KOOS_PARTICIPANT_TOKEN_PUBLIC_KEY", self.participant_token_public_key, min_bytes=0,
                      check=_public_key_problem)


def new_key_pair() -> tuple[str, str]:
    """A fresh key pair as the settings take it: (private, public), each base64url of 32 bytes."""
    return _texts(Ed25519PrivateKey.generate())


def development_key_pair() -> tuple[str, str]:
    """The development key pair as the settings would take it (which they refuse outside development)."""
    return _texts(development_private_key())


def public_key_of(private: str) -> str:
    """The public key (base64url) that checks the tokens a private key signs."""
    return _encoded(private_key(private).public_key().public_bytes_raw())


def private_key(text: str) -> Ed25519PrivateKey:
    """An Ed25519 private key from base64url of its 32 bytes, or from a PEM (PKCS #8)."""
    try:
        if text.lstrip().startswith("-----BEGIN"):
            key = serialization.load_pem_private_key(text.encode(), password=None)
        else:
            key = Ed25519PrivateKey.from_private_bytes(_decoded(text))
    except ValueError as error:
        raise InvalidKey("is not an Ed25519 private key (base64url of 32 bytes, or PEM)") from error
    if not isinstance(key, Ed25519PrivateKey):
        raise InvalidKey("is a private key, but not an Ed25519 one")
    return key


def public_key(text: str) -> Ed25519PublicKey:
    """An Ed25519 public key from base64url of its 32 bytes, or from a PEM (SubjectPublicKeyInfo)."""
    try:
        if text.lstrip().startswith("-----BEGIN"):
            key = serialization.load_pem_public_key(text.encode())
        else:
            key = Ed25519PublicKey.from_public_bytes(_decoded(text))
    except ValueError as error:
        raise InvalidKey("is not an Ed25519 public key (base64url of 32 bytes, or PEM)") from error
    if not isinstance(key, Ed25519PublicKey):
        raise InvalidKey("is a public key, but not an Ed25519 one")
    return key


def development_private_key() -> Ed25519PrivateKey:
    """The key pair of development mode, derived from a constant: anyone can derive it, production refuses it."""
    return Ed25519PrivateKey.from_private_bytes(_DEVELOPMENT_SEED)


def key_id(key: Ed25519PublicKey) -> str:
    """A short name of a public key (the JWT `kid`), so that a rotation can tell keys apart."""
    return hashlib.sha256(key.public_bytes_raw()).hexdigest()[:16]


def _private_key_problem(text: str) -> str | None:
    try:
        key = private_key(text)
    except InvalidKey as error:
        return str(error)
    return "is the development key" if key.private_bytes_raw() == _DEVELOPMENT_SEED else None


def _public_key_problem(text: str) -> str | None:
    try:
        key = public_key(text)
    except InvalidKey as error:
        return str(error)
    development = development_private_key().public_key().public_bytes_raw()
    return "is the development key" if key.public_bytes_raw() == development else None


def _texts(key: Ed25519PrivateKey) -> tuple[str, str]:
    return _encoded(key.private_bytes_raw()), _encoded(key.public_key().public_bytes_raw())


def _encoded(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decoded(text: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(text.strip() + "=" * (-len(text.strip()) % 4))
    except (ValueError, TypeError) as error:
        raise ValueError("not base64url") from error
