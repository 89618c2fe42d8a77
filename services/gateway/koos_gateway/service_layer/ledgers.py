"""The read models of mails and sessions held, fed by notifications' and scheduling's events."""

from koos_contracts import Envelope
from koos_contracts.notifications import LinksResent, NotificationFailed, NotificationSent
from koos_contracts.scheduling import SessionEnded
from koos_gateway.domain.ledgers import DeliveryView
from koos_gateway.service_layer.outcomes import settle
from koos_gateway.service_layer.unit import Ports


async def notification_sent(event: NotificationSent, envelope: Envelope, ports: Ports) -> None:
    """A mail reached the mail server (perhaps twice, when a send was in doubt)."""
    await ports.ledgers.deliveries.record(DeliveryView.sent(
        event.notification_id, envelope.organisationid, str(event.edition_id), event.person_id, event.kind,
        event.sent_at, event.attempts, event.doubt))


async def notification_failed(event: NotificationFailed, envelope: Envelope, ports: Ports) -> None:
    """A mail could not be delivered, with the reason."""
    await ports.ledgers.deliveries.record(DeliveryView(
        event.notification_id, envelope.organisationid, str(event.edition_id), event.person_id, event.kind,
        "failed", event.failed_at, event.attempts, event.reason))


async def session_ended(event: SessionEnded, envelope: Envelope, ports: Ports) -> None:
    """A session was held; an organiser's MarkSessionHeld is settled by it."""
    await ports.ledgers.progress.held(str(event.edition_id), event.session_id, event)
    await settle(envelope, event, ports)


async def links_resent(event: LinksResent, envelope: Envelope, ports: Ports) -> None:
    """Notifications answered a ResendLinks (what it answered is nobody's business but the mailbox's)."""
    await settle(envelope, event, ports)
