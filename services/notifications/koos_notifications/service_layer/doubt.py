"""Notifications in doubt: an earlier attempt may have handed the mail over without its outcome being recorded.

That happens when a sender vanished mid-send (SIGKILL, crash: its lease runs out) or when the link to the SMTP
server broke after the data went out. Before sending again, the provider is asked for the mail's Message-ID
(`DeliveryLookup`, as SES, Postmark and Mailgun allow):

- with a provider that answers, the SMTP hop is **exactly-once**: found means recorded as sent
  (`in_doubt_found_delivered`, with its NotificationSent) and not resent; not found means resent
  (`in_doubt_resent`);
- without one (`KOOS_SMTP_LOOKUP_URL` unset) or without an answer it is **at-least-once**: the mail is resent
  with the same Message-ID, so that a mailbox can collapse the copies.
"""

from koos_kit.logging import get_logger
from koos_notifications.domain.mail import message_id_for
from koos_notifications.service_layer import recording
from koos_notifications.service_layer.attempts import Claim, Outcome
from koos_notifications.service_layer.metrics import IN_DOUBT
from koos_notifications.service_layer.ports import LookupAnswer, Ports

log = get_logger("koos.notifications.sending")


async def settled_as_delivered(claim: Claim, ports: Ports) -> Outcome | None:
    """The outcome "sent by an earlier attempt" if the provider holds the mail; None if it must be sent again."""
    notification = claim.notification
    message_id = message_id_for(notification.notification_id, ports.mail.message_id_domain)
    received = await ports.lookup.was_received(message_id)
    if received:
        IN_DOUBT.labels(notification.kind, "found_delivered").inc()
        return recording.found_delivered(claim, ports)
    answer: LookupAnswer = "unknown" if received is None else "not_received"
    IN_DOUBT.labels(notification.kind, f"resent_{answer}").inc()
    log.warning("an earlier attempt may have sent this mail; resending it with the same Message-ID",
                attempt=claim.attempt, provider=answer)
    await ports.notifications.note_resend(claim, ports.clock.now(), answer)
    return None
