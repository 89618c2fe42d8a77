"""A notification taken for one attempt (a claim), and how the attempt ended (an outcome), as it is recorded.

An outcome names the notification's next status, the entry of its delivery log and the events it raises; the
send loop records a group of them in one write. A claim that was never attempted (the loop stopped, or its lease
would run out before the mail could be sent) is given back: pending again at once, its attempt not counted.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from koos_contracts import Envelope
from koos_notifications.domain.delivery import Failure
from koos_notifications.domain.notification import Notification

Status = Literal["pending", "sent", "failed", "skipped"]
Entry = Mapping[str, Any]


@dataclass(frozen=True)
class Claim:
    """A notification taken for one attempt (numbered from 1); `in_doubt` if an earlier attempt may have sent it.

    `lease` is the store's own handle of the claim's lease (its entry in the due queue).
    """

    notification: Notification
    attempt: int
    in_doubt: bool = False
    lease: str = ""


@dataclass(frozen=True)
class Outcome:
    """How an attempt ended; `retry_at` when a pending notification is tried next; `entry` None: given back."""

    claim: Claim
    status: Status
    at: datetime
    entry: Entry | None
    envelopes: tuple[Envelope, ...] = ()
    retry_at: datetime | None = None
    in_doubt: bool = False

    @property
    def given_back(self) -> bool:
        return self.entry is None

    @property
    def notification_id(self) -> str:
        return self.claim.notification.notification_id


def sent(claim: Claim, at: datetime, reply_code: int, envelopes: Sequence[Envelope]) -> Outcome:
    """The mail was handed over."""
    entry = {"attempt": claim.attempt, "at": at, "outcome": "sent", "code": reply_code}
    return Outcome(claim, "sent", at, entry, tuple(envelopes))


def found_delivered(claim: Claim, at: datetime, envelopes: Sequence[Envelope]) -> Outcome:
    """The provider holds the mail of an earlier attempt; nothing is resent."""
    entry = {"attempt": claim.attempt, "at": at, "outcome": "in_doubt_found_delivered"}
    return Outcome(claim, "sent", at, entry, tuple(envelopes))


def deferred(claim: Claim, at: datetime, retry_at: datetime, failure: Failure) -> Outcome:
    """Tried again at `retry_at`; an uncertain failure leaves the notification in doubt."""
    entry = {**_failure_entry(claim, at, failure), "outcome": "deferred", "next_attempt_at": retry_at}
    return Outcome(claim, "pending", at, entry, retry_at=retry_at, in_doubt=claim.in_doubt or failure.uncertain)


def failed(claim: Claim, at: datetime, failure: Failure, envelopes: Sequence[Envelope]) -> Outcome:
    """The last attempt failed, or the server refused the mail for good."""
    return Outcome(claim, "failed", at, {**_failure_entry(claim, at, failure), "outcome": "failed"}, tuple(envelopes))


def skipped(claim: Claim, at: datetime, reason: str) -> Outcome:
    """The notification no longer holds and is not sent."""
    return Outcome(claim, "skipped", at, {"attempt": claim.attempt, "at": at, "outcome": "skipped", "reason": reason})


def given_back(claim: Claim, at: datetime) -> Outcome:
    """Never attempted: pending again now, the attempt not counted, still in doubt if it was."""
    return Outcome(claim, "pending", at, None, retry_at=at, in_doubt=claim.in_doubt)


def _failure_entry(claim: Claim, at: datetime, failure: Failure) -> dict[str, Any]:
    entry = {"attempt": claim.attempt, "at": at, "code": failure.code, "error": failure.error_class}
    return {**entry, "uncertain": True} if failure.uncertain else entry
