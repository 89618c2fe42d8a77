"""The send loop: claim what is due, send it, record the outcome with its event in one write.

Notifications an earlier attempt may have sent are settled first (see `doubt`): exactly-once over SMTP with a
provider lookup, at-least-once with a stable Message-ID without one.
"""

import asyncio
from collections.abc import Awaitable, Callable, Coroutine
from datetime import datetime
from typing import Any

from koos_kit.logging import correlation, get_logger
from koos_notifications.domain.delivery import Failure
from koos_notifications.domain.edition import EditionCopy
from koos_notifications.domain.mail import OutgoingMail
from koos_notifications.domain.reminders import stale_reason
from koos_notifications.service_layer.composing import compose
from koos_notifications.service_layer.doubt import settled_as_delivered
from koos_notifications.service_layer.mailing import MailNotSent
from koos_notifications.service_layer.metrics import ATTEMPTS
from koos_notifications.service_layer.ports import Claim, Ports
from koos_notifications.service_layer.recording import record_failure, record_sent

log = get_logger("koos.notifications.sending")

EDITION_UNKNOWN = Failure(code=None, error_class="EditionUnknown")
PASS = 50
"""Notifications sent between two looks for ones in doubt (on the Mongo-wire dev server each look reads them all)."""

ClaimOne = Callable[[datetime, datetime], Awaitable[Claim | None]]


async def send_due(ports: Ports) -> int:
    """Settle what vanished senders left in doubt, then send everything due now; return how many were handled."""
    handled = 0
    while True:
        handled += await _handle_all(ports.notifications.claim_in_doubt, ports)
        sent = await _handle_all(ports.notifications.claim_due, ports, limit=PASS)
        handled += sent
        if sent < PASS:
            return handled


async def send_next(ports: Ports) -> bool:
    """Handle one notification, in doubt or due; False if there is none."""
    return (await _handle_one(ports.notifications.claim_in_doubt, ports)
            or await _handle_one(ports.notifications.claim_due, ports))


async def _handle_all(claim_one: ClaimOne, ports: Ports, limit: int | None = None) -> int:
    handled = 0
    while (limit is None or handled < limit) and await _handle_one(claim_one, ports):
        handled += 1
    return handled


async def _handle_one(claim_one: ClaimOne, ports: Ports) -> bool:
    now = ports.clock.now()
    claim = await claim_one(now, now + ports.delivery.lease)
    if claim is None:
        return False
    notification = claim.notification
    with correlation(notification.cause.correlation_id, notification_id=notification.notification_id,
                     kind=notification.kind):
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
    if claim.in_doubt and await settled_as_delivered(claim, ports):
        return
    edition = await ports.editions.get(claim.notification.edition_id)
    if edition is None:
        await record_failure(claim, EDITION_UNKNOWN, ports)
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
        await record_failure(claim, refusal.failure, ports)
        return
    await record_sent(claim, reply_code, ports)


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
        await record_failure(claim, Failure(code=None, error_class=type(error).__name__, permanent=True), ports)
        return None
