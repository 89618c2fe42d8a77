"""The send loop: claim what is due a batch at a time, send it at a bounded rate, record the outcomes in groups.

A claimed batch is worked off by `senders` side by side (each over its own reused SMTP connection), every mail
waiting its turn at the send rate (`KOOS_SEND_RATE_PER_SECOND`), so that a rush's mails go out behind the work
that caused them. No mail of a batch starts later than a third of the lease after the claim (a send takes at most
another third), so a live sender records every outcome before its lease ends; what is left is given back.
Notifications an earlier attempt may have sent are settled first (see `doubt`): exactly-once over SMTP with a
provider lookup, at-least-once with a stable Message-ID without one.
"""

import asyncio
from collections.abc import Iterator

from koos_kit.logging import correlation, get_logger
from koos_kit.tracing import span
from koos_notifications.domain.delivery import Failure
from koos_notifications.domain.edition import EditionCopy
from koos_notifications.domain.reminders import stale_reason
from koos_notifications.service_layer import attempts, recording
from koos_notifications.service_layer.attempts import Claim, Outcome
from koos_notifications.service_layer.composing import compose
from koos_notifications.service_layer.doubt import settled_as_delivered
from koos_notifications.service_layer.mailing import MailNotSent
from koos_notifications.service_layer.ports import Ports

log = get_logger("koos.notifications.sending")

EDITION_UNKNOWN = Failure(code=None, error_class="EditionUnknown")


async def send_due(ports: Ports) -> int:
    """Send everything that needs a sender now, a claimed batch at a time; return how many were handled."""
    handled = 0
    while claims := await _claim(ports, ports.delivery.batch):
        handled += await _complete_even_if_cancelled(claims, ports)
    return handled


async def send_next(ports: Ports) -> bool:
    """Handle one notification that needs a sender, due or in doubt; False if there is none."""
    claims = await _claim(ports, 1)
    if claims:
        await _complete_even_if_cancelled(claims, ports)
    return bool(claims)


async def _claim(ports: Ports, limit: int) -> list[Claim]:
    now = ports.clock.now()
    return await ports.notifications.claim(now, now + ports.delivery.lease, limit)


async def _complete_even_if_cancelled(claims: list[Claim], ports: Ports) -> int:
    """A graceful stop lets the mails in hand be sent and recorded, and gives the rest back: nothing is left in
    doubt."""
    stopping = asyncio.Event()
    task = asyncio.ensure_future(_work_off(claims, ports, stopping))
    try:
        return await asyncio.shield(task)
    except asyncio.CancelledError:
        stopping.set()
        await task
        raise


async def _work_off(claims: list[Claim], ports: Ports, stopping: asyncio.Event) -> int:
    cutoff = ports.clock.now() + ports.delivery.lease / 3
    recorder = recording.Recorder(ports)
    queue = iter(claims)
    editions = _Editions(ports)

    async def sender() -> None:
        for claim in queue:
            if stopping.is_set() or ports.clock.now() >= cutoff:
                await recorder.add(attempts.given_back(claim, ports.clock.now()))
            else:
                await recorder.add(await _attempt(claim, editions, ports))

    results = await asyncio.gather(*(sender() for _ in range(min(ports.delivery.senders, len(claims)))),
                                   return_exceptions=True)
    await _give_back(queue, recorder, ports)
    await recorder.flush()
    for result in results:
        if isinstance(result, BaseException):
            raise result
    return len(claims)


async def _give_back(rest: Iterator[Claim], recorder: recording.Recorder, ports: Ports) -> None:
    """Claims no sender got to (they all failed) are given back."""
    for claim in rest:
        await recorder.add(attempts.given_back(claim, ports.clock.now()))


class _Editions:
    """The editions of one claimed batch, each read once."""

    def __init__(self, ports: Ports) -> None:
        self._ports = ports
        self._known: dict[str, EditionCopy | None] = {}

    async def get(self, edition_id: str) -> EditionCopy | None:
        if edition_id not in self._known:
            self._known[edition_id] = await self._ports.editions.get(edition_id)
        return self._known[edition_id]


async def _attempt(claim: Claim, editions: _Editions, ports: Ports) -> Outcome:
    notification = claim.notification
    traced = span(f"send {notification.kind}", traceparent=notification.cause.traceparent,
                  attributes={"koos.notification_kind": notification.kind})
    with correlation(notification.cause.correlation_id, notification_id=notification.notification_id,
                     kind=notification.kind), traced:
        if claim.in_doubt and (found := await settled_as_delivered(claim, ports)):
            return found
        if not notification.recipient.reachable:
            return attempts.skipped(claim, ports.clock.now(), "recipient_erased")
        edition = await editions.get(notification.edition_id)
        if edition is None:
            return recording.failure(claim, EDITION_UNKNOWN, ports)
        if notification.is_reminder and (stale := await _stale(claim, edition, ports)):
            return stale
        return await _send(claim, edition, ports)


async def _send(claim: Claim, edition: EditionCopy, ports: Ports) -> Outcome:
    try:
        mail = compose(claim.notification, edition, ports.renderer, ports.mail, ports.clock.now())
    except Exception as error:
        log.exception("notification could not be rendered")
        return recording.failure(claim, Failure(code=None, error_class=type(error).__name__, permanent=True), ports)
    await ports.send_rate.turn()
    try:
        reply_code = await ports.mailer.send(mail)
    except MailNotSent as refusal:
        return recording.failure(claim, refusal.failure, ports)
    return recording.sent(claim, reply_code, ports)


async def _stale(claim: Claim, edition: EditionCopy, ports: Ports) -> Outcome | None:
    now = ports.clock.now()
    participant = await ports.participants.get(claim.notification.registration_id)
    reason = stale_reason(claim.notification, edition, participant, now)
    return attempts.skipped(claim, now, reason) if reason else None
