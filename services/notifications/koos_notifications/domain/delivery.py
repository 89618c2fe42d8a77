"""How often and how long a mail is tried: exponential back-off, then failure."""

from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True)
class RetryPolicy:
    """Attempt n waits backoff·2^(n-1) (at most `max_backoff`) before the next; `max_attempts` ends it."""

    max_attempts: int = 6
    backoff: timedelta = timedelta(seconds=5)
    max_backoff: timedelta = timedelta(minutes=15)

    def delay_after(self, attempt: int) -> timedelta:
        """How long to wait after a failed attempt number `attempt` (from 1)."""
        return min(self.backoff * (1 << max(attempt - 1, 0)), self.max_backoff)

    def gives_up_after(self, attempt: int) -> bool:
        """Whether failing attempt number `attempt` is the last try."""
        return attempt >= self.max_attempts


@dataclass(frozen=True)
class Failure:
    """Why an attempt failed; `uncertain` if the server may have taken the mail even so (the link broke mid-send)."""

    code: int | None
    error_class: str
    permanent: bool = False
    uncertain: bool = False

    def describe(self) -> str:
        return f"{self.error_class} (SMTP {self.code})" if self.code else self.error_class
