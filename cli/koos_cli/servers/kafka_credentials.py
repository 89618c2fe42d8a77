"""The dev broker's SASL users and their passwords, made once per state dir and kept there (mode 0600)."""

from __future__ import annotations

import contextlib
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

ADMIN = "koos-admin"
"""The operator's super user: the broker's own inter-broker identity, and the CLI's and tests' admin."""
CONTROLLER = "koos-controller"
"""The identity on the controller listener (SASL/PLAIN; KRaft controllers cannot check SCRAM)."""


@dataclass(frozen=True)
class Credentials:
    """Passwords of the dev broker's users, one file per user."""

    folder: Path

    def password(self, user: str) -> str:
        """The user's password, made on first use."""
        path = self.folder / user
        if not path.exists():
            self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            with contextlib.suppress(FileExistsError):
                descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                with os.fdopen(descriptor, "w") as file:
                    file.write(secrets.token_urlsafe(32))
        return path.read_text().strip()
