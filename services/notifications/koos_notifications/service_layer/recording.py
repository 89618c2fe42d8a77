"""How an attempt ended, recorded with the event it raises in one write: sent, found delivered, failed, deferred."""

from koos_contracts.notifications import Doubt
from koos_kit.logging import get_logger
from koos_notifications.domain.delivery import Failure
from koos_notifications.service_layer.metrics import ATTEMPTS
from koos_notifications.service_layer.outcomes import envelope_of, failed_event, sent_event
from koos_notifications.service_layer.ports import Claim, Ports

log = get_logger("koos.notifications.sending")


async def record_sent(claim: Claim, reply_code: int, ports: Ports) -> None:
    """This attempt handed the mail over."""
    notification, at = claim.notification, ports.clock.now()
    doubt: Doubt | None = "resent" if claim.in_doubt else None
    envelope = envelope_of(notification, sent_event(notification, at, claim.attempt, doubt), at, ports.source)
    if await ports.notifications.mark_sent(claim, at, reply_code, [envelope]):
        ATTEMPTS.labels(notification.kind, "sent").inc()
        log.info("notification sent", attempt=claim.attempt)
    else:
        log.warning("notification was taken over by another sender before it was marked sent")


async def record_found_delivered(claim: Claim, ports: Ports) -> None:
    """An earlier attempt handed the mail over, as the provider says; this one sends nothing."""
    notification, at = claim.notification, ports.clock.now()
    envelope = envelope_of(notification, sent_event(notification, at, claim.attempt - 1, "found_delivered"), at,
                           ports.source)
    if await ports.notifications.mark_found_delivered(claim, at, [envelope]):
        ATTEMPTS.labels(notification.kind, "found_delivered").inc()
        log.info("notification found delivered by an earlier attempt; not resent", attempt=claim.attempt)
    else:
        log.warning("notification was taken over by another sender before it was marked sent")


async def record_failure(claim: Claim, failure: Failure, ports: Ports) -> None:
    """Try again later with back-off, or give up after the last attempt or a permanent refusal."""
    notification, at = claim.notification, ports.clock.now()
    retry = ports.delivery.retry
    if failure.permanent or retry.gives_up_after(claim.attempt):
        event = failed_event(notification, at, claim.attempt, failure)
        await ports.notifications.mark_failed(claim, at, failure, [envelope_of(notification, event, at, ports.source)])
        ATTEMPTS.labels(notification.kind, "failed").inc()
        log.warning("notification failed", attempt=claim.attempt, error_class=failure.error_class, code=failure.code)
        return
    next_attempt_at = at + retry.delay_after(claim.attempt)
    await ports.notifications.retry_later(claim, at, next_attempt_at, failure)
    ATTEMPTS.labels(notification.kind, "deferred").inc()
    log.info("notification deferred", attempt=claim.attempt, error_class=failure.error_class, code=failure.code,
             uncertain=failure.uncertain, next_attempt_at=next_attempt_at.isoformat())
