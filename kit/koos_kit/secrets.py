"""Secrets that cannot default: outside development mode a service refuses to start without them.

Each service names its secrets (`ServiceSettings.secrets()`); a secret that is unset, one of the well-known
development values, or too short stops the service at start-up with a message naming the setting.
`KOOS_ENVIRONMENT=development` (what `koos up` and the tests set) lets a service run with development
defaults instead.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

KNOWN_DEFAULTS = frozenset({
    "koos-development-secret-not-for-production",
    "koos-development-participant-secret-not-for-production",
    "koos-development-privacy-kek-not-for-production",
    "changeme", "change-me", "secret", "password", "koos", "admin", "development", "test",
})
"""Values that were defaults in code or samples once, or that anyone would guess."""


@dataclass(frozen=True)
class Secret:
    """A secret setting, its value, how long it must be at least, and a further check of its form."""

    setting: str
    value: str
    min_bytes: int = 32
    check: Callable[[str], str | None] | None = None
    """The problem with a value of the wrong form (a key that is not a key), or None."""

    def problem(self) -> str | None:
        """Why the value may not be used, or None."""
        value = self.value.strip()
        if not value:
            return f"{self.setting} is not set"
        if value.casefold() in KNOWN_DEFAULTS:
            return f"{self.setting} is a well-known default value; set a secret of your own"
        if self.check is not None and (problem := self.check(value)):
            return f"{self.setting} {problem}"
        if len(value.encode()) < self.min_bytes:
            return f"{self.setting} is shorter than {self.min_bytes} bytes"
        return None


class UnsafeSettings(SystemExit):
    """The service stops at start-up: its settings are not safe outside development mode."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("refusing to start outside development mode: " + "; ".join(problems)
                         + " (KOOS_ENVIRONMENT=development runs with development defaults)")


def problems_of(secrets: Iterable[Secret]) -> list[str]:
    """What is wrong with each secret, one message per setting."""
    return [problem for secret in secrets if (problem := secret.problem())]
