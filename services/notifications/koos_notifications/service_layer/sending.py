"""The send loop: claim what is due, send it, record the outcome with its event in one write."""

import asyncio
from collections.abc import Coroutine
from typing import Any

from koos_kit.logging import correlation, get_logger
from koos_notifications.domain.delivery import Failure
from koos_notifications.domain.edition import EditionCopy
from koos_notifications.domain.mail import OutgoingMail
from koos_notifications.domain.reminders import stale_reason
from koos_notifications.service_layer.composing import compose
from koos_notifications.service_layer.mailing import MailNotSent
from koos_notifications.service_layer.metrics import ATTEMPTS, IN_DOUBT_RESENDS
from koos_notifications.service_layer.outcomes import envelope_of, failed_event, sent_event
from koos_notifications.service_layer.ports import Claim, Ports

log = get_logger("koos.notifications.sending")

EDITION_UNKNOWN = Failure(code=None, error_class="EditionUnknown")


async def send_due(ports: Ports) -> int:
    """Send everything due now, resending what a vanished sender left in doubt; return how many were handled."""
    handled = 0
    while await send_next(ports):
        handled += 1
    return handled


async def send_next(ports: Ports) -> bool:
    """Handle one due notification; False if none is due."""
    now = ports.clock.now()
    lease_until = now + ports.delivery.lease
    claim = (await ports.notifications.claim_in_doubt(now, lease_until)
             or await ports.notifications.claim_due(now, lease_until))
    if claim is None:
        return False
    notification = claim.notification
    with correlation(notification.cause.correlation_id, notification_id=notification.notification_id,
                     kind=notification.kind):
        if claim.in_doubt:
            IN_DOUBT_RESENDS.labels(notification.kind).inc()
            log.warning("sender vanished mid-send; resending with the same Message-ID", attempt=claim.attempt)
        await _complete_even_if_cancelled(_deliver(claim, ports))
    return True


async def _complete_even_if_cancelled(delivery: Coroutine[Any, Any, None]) -> None:
    """A graceful stop waits for the mail in hand to be sent and recorded, so that it leaves nothing in doubt."""
    task = asyncio.ensure_future(delivery)
    try:
        await asyncio.shield(task)
    except asyncio.CancelledError:
        await task
        raise


async def _deliver(claim: Claim, ports: Ports) -> None:
    edition = await ports.editions.get(claim.notification.edition_id)
    if edition is None:
        await _after_failure(claim, EDITION_UNKNOWN, ports)
        return
    if claim.notification.is_reminder and await _skipped_as_stale(claim, edition, ports):
        return
    mail = await _composed(claim, edition, ports)
    if mail is not None:
        await _send(claim, mail, ports)


async def _send(claim: Claim, mail: OutgoingMail, ports: Ports) -> None:
    try:
        reply_code = await ports.mailer.send(mail)
    except MailNotSent as refusal:
        await _after_failure(claim, refusal.failure, ports)
        return
    await _after_success(claim, reply_code, ports)


async def _skipped_as_stale(claim: Claim, edition: EditionCopy, ports: Ports) -> bool:
    now = ports.clock.now()
    participant = await ports.participants.get(claim.notification.registration_id)
    reason = stale_reason(claim.notification, edition, participant, now)
    if reason is None:
        return False
    await ports.notifications.skip(claim, now, reason)
    ATTEMPTS.labels(claim.notification.kind, "skipped").inc()
    log.info("reminder no longer holds", reason=reason)
    return True


async def _composed(claim: Claim, edition: EditionCopy, ports: Ports) -> OutgoingMail | None:
    try:
        return compose(claim.notification, edition, ports.renderer, ports.mail, ports.clock.now())
    except Exception as error:
        log.exception("notification could not be rendered")
        await _after_failure(claim, Failure(code=None, error_class=type(error).__name__, permanent=True), ports)
        return None


async def _after_success(claim: Claim, reply_code: int, ports: Ports) -> None:
    notification, at = claim.notification, ports.clock.now()
    envelope = envelope_of(notification, sent_event(notification, at, claim.attempt), at, ports.source)
    if await ports.notifications.mark_sent(claim, at, reply_code, [envelope]):
        ATTEMPTS.labels(notification.kind, "sent").inc()
        log.info("notification sent", attempt=claim.attempt)
    else:
        log.warning("notification was taken over by another sender before it was marked sent")


async def _after_failure(claim: Claim, failure: Failure, ports: Ports) -> None:
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
             next_attempt_at=next_attempt_at.isoformat())
