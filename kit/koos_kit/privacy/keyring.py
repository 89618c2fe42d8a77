"""A service's own copy of the people's data keys, and sealing and opening one text with them.

A data key is 256 random bits per subject (a person's pseudonymous id); it travels wrapped with the
deployment's key-encryption key (`KOOS_PRIVACY_KEK`). A subject whose key was erased opens to a placeholder
that says so: a name "(erased)", an address in the reserved `.invalid` domain that no mail can reach.
"""

import base64
import hashlib
import os
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from koos_contracts.values import ERASED_NAME, Sealed, erased_address, is_erased_address

ALGORITHM = "A256GCM"
__all__ = ["ALGORITHM", "ERASED_NAME", "KeyRing", "KeyWrapper", "erased_address", "is_erased_address"]


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


class KeyWrapper:
    """Wraps and unwraps data keys with the key-encryption key (derived from the secret by SHA-256)."""

    def __init__(self, secret: str) -> None:
        self._kek = AESGCM(hashlib.sha256(secret.encode()).digest())
        self.kek_id = hashlib.sha256(b"koos-kek-id:" + secret.encode()).hexdigest()[:16]

    def wrap(self, subject: str, key: bytes) -> tuple[str, str]:
        """The wrapped key and its nonce, base64; the subject is bound as associated data."""
        nonce = os.urandom(12)
        return _b64(self._kek.encrypt(nonce, key, subject.encode())), _b64(nonce)

    def unwrap(self, subject: str, wrapped: str, nonce: str) -> bytes:
        return self._kek.decrypt(base64.b64decode(nonce), base64.b64decode(wrapped), subject.encode())


@dataclass
class KeyRing:
    """Subject id -> data key, and the subjects whose keys were erased."""

    keys: dict[str, bytes] = field(default_factory=dict)
    erased: set[str] = field(default_factory=set)

    def add(self, subject: str, key: bytes) -> None:
        self.keys[subject] = key
        self.erased.discard(subject)

    def withdraw(self, subject: str) -> None:
        """Forget a key that was never announced, without marking the subject erased."""
        self.keys.pop(subject, None)

    def erase(self, subject: str) -> None:
        self.keys.pop(subject, None)
        self.erased.add(subject)

    def knows(self, subject: str) -> bool:
        """Whether the ring has the subject's key or knows it was erased."""
        return subject in self.keys or subject in self.erased

    def seal(self, subject: str, text: str) -> Sealed | None:
        """The text sealed with the subject's key, or None when the ring has no key for the subject."""
        key = self.keys.get(subject)
        if key is None:
            return None
        nonce = os.urandom(12)
        data = AESGCM(key).encrypt(nonce, text.encode(), subject.encode())
        return Sealed(sealed=ALGORITHM, subject=subject, nonce=_b64(nonce), data=_b64(data))

    def open(self, sealed: Sealed) -> str | None:
        """The plain text, or None when the key is gone (erased, or never known here)."""
        key = self.keys.get(sealed.subject)
        if key is None:
            return None
        try:
            return AESGCM(key).decrypt(base64.b64decode(sealed.nonce), base64.b64decode(sealed.data),
                                       sealed.subject.encode()).decode()
        except InvalidTag:
            return None
