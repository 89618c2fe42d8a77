"""The read models of mails and sessions held, fed by notifications' and scheduling's events."""

from collections.abc import Sequence

from koos_contracts import Envelope, Message
from koos_contracts.notifications import LinksResent, NotificationFailed, NotificationSent
from koos_contracts.scheduling import SessionEnded
from koos_gateway.domain.ledgers import DeliveryView
from koos_gateway.service_layer.outcomes import settle
from koos_gateway.service_layer.unit import Ports
from koos_kit.messaging.subscription import Delivery, Waiting


async def deliveries(batch: Sequence[Delivery], ports: Ports) -> Sequence[Waiting]:
    """Mails that reached the mail server (perhaps twice, when a send was in doubt) or could not be delivered,
    a consumed batch in one write."""
    views = [v for v in (delivery_of(d.message, d.envelope) for d in batch) if v is not None]
    if views:
        await ports.ledgers.deliveries.record_all(views)
    return []


def delivery_of(event: Message, envelope: Envelope) -> DeliveryView | None:
    """What a notification event says of its mail."""
    if isinstance(event, NotificationSent):
        return DeliveryView.sent(event.notification_id, envelope.organisationid, str(event.edition_id),
                                 event.person_id, event.kind, event.sent_at, event.attempts, event.doubt)
    if isinstance(event, NotificationFailed):
        return DeliveryView(event.notification_id, envelope.organisationid, str(event.edition_id), event.person_id,
                            event.kind, "failed", event.failed_at, event.attempts, event.reason)
    return None


async def session_ended(event: SessionEnded, envelope: Envelope, ports: Ports) -> None:
    """A session was held; an organiser's MarkSessionHeld is settled by it."""
    await ports.ledgers.progress.held(str(event.edition_id), event.session_id, event)
    await settle(envelope, event, ports)


async def links_resent(event: LinksResent, envelope: Envelope, ports: Ports) -> None:
    """Notifications answered a ResendLinks (what it answered is nobody's business but the mailbox's)."""
    await settle(envelope, event, ports)
