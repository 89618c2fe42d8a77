"""How an attempt ended, as an outcome recorded with the event it raises: sent, found delivered, failed, deferred.

Outcomes are recorded a group at a time, in one write: up to `GROUP` of them, and none waits longer than
`GROUP_SECONDS` once a newer one comes (the rest at the end of the claimed batch). A sender that dies leaves at
most that group in doubt; the provider's lookup settles it (see `doubt`).
"""

import asyncio
import time
from collections.abc import Callable
from datetime import datetime

from koos_contracts import Envelope
from koos_contracts.notifications import Doubt, NotificationFailed, NotificationSent
from koos_kit.logging import correlation, get_logger
from koos_notifications.domain.delivery import Failure
from koos_notifications.domain.notification import Notification
from koos_notifications.service_layer import attempts
from koos_notifications.service_layer.attempts import Claim, Outcome
from koos_notifications.service_layer.metrics import ATTEMPTS
from koos_notifications.service_layer.outcomes import envelope_of, failed_event, sent_event
from koos_notifications.service_layer.ports import Ports

log = get_logger("koos.notifications.sending")

GROUP = 20
GROUP_SECONDS = 0.5


def sent(claim: Claim, reply_code: int, ports: Ports) -> Outcome:
    """This attempt handed the mail over."""
    notification, at = claim.notification, ports.clock.now()
    doubt: Doubt | None = "resent" if claim.in_doubt else None
    envelopes = _announced(notification, lambda: sent_event(notification, at, claim.attempt, doubt), at, ports)
    return attempts.sent(claim, at, reply_code, envelopes)


def found_delivered(claim: Claim, ports: Ports) -> Outcome:
    """An earlier attempt handed the mail over, as the provider says; this one sends nothing."""
    notification, at = claim.notification, ports.clock.now()
    envelopes = _announced(notification, lambda: sent_event(notification, at, claim.attempt - 1, "found_delivered"),
                           at, ports)
    return attempts.found_delivered(claim, at, envelopes)


def failure(claim: Claim, failure: Failure, ports: Ports) -> Outcome:
    """Try again later with back-off, or give up after the last attempt or a permanent refusal."""
    notification, at = claim.notification, ports.clock.now()
    retry = ports.delivery.retry
    if failure.permanent or retry.gives_up_after(claim.attempt):
        envelopes = _announced(notification, lambda: failed_event(notification, at, claim.attempt, failure), at, ports)
        return attempts.failed(claim, at, failure, envelopes)
    return attempts.deferred(claim, at, at + retry.delay_after(claim.attempt), failure)


def _announced(notification: Notification, event: Callable[[], NotificationSent | NotificationFailed], at: datetime,
               ports: Ports) -> list[Envelope]:
    """The delivery event of a notification whose kind is announced; none for the others."""
    return [envelope_of(notification, event(), at, ports.source)] if notification.announces_delivery else []


class Recorder:
    """Collects the outcomes of a claimed batch and records them in groups."""

    def __init__(self, ports: Ports) -> None:
        self._ports = ports
        self._pending: list[Outcome] = []
        self._oldest = 0.0
        self._one_at_a_time = asyncio.Lock()

    async def add(self, outcome: Outcome) -> None:
        if not self._pending:
            self._oldest = time.monotonic()
        self._pending.append(outcome)
        if len(self._pending) >= GROUP or time.monotonic() - self._oldest >= GROUP_SECONDS:
            await self.flush()

    async def flush(self) -> None:
        async with self._one_at_a_time:
            group, self._pending = self._pending, []
            if group:
                held = await self._ports.notifications.record(group)
                for outcome, recorded in zip(group, held, strict=True):
                    _report(outcome, recorded)


REPORTS = {"sent": "notification sent", "deferred": "notification deferred", "failed": "notification failed",
           "found_delivered": "notification found delivered by an earlier attempt; not resent",
           "skipped": "reminder no longer holds"}
LOGGED = ("attempt", "error", "code", "uncertain", "reason")


def _report(outcome: Outcome, recorded: bool) -> None:
    """Count and log a recorded outcome (a claim given back unmade is neither)."""
    notification, entry = outcome.claim.notification, outcome.entry
    if entry is None:
        return
    with correlation(notification.cause.correlation_id, notification_id=notification.notification_id,
                     kind=notification.kind):
        if not recorded:
            log.warning("notification was taken over by another sender before its outcome was recorded")
            return
        result = "found_delivered" if entry["outcome"] == "in_doubt_found_delivered" else str(entry["outcome"])
        ATTEMPTS.labels(notification.kind, result).inc()
        details = {name: entry[name] for name in LOGGED if name in entry}
        if outcome.retry_at is not None:
            details["next_attempt_at"] = outcome.retry_at.isoformat()
        (log.warning if result == "failed" else log.info)(REPORTS[result], **details)
