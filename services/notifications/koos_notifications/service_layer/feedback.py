"""The feedback survey opened: ask every confirmed participant for their view."""

from koos_contracts import Envelope
from koos_contracts.evaluation import SurveyOpened
from koos_kit.logging import get_logger
from koos_notifications.domain.notification import Notification
from koos_notifications.service_layer.facts import cause_of
from koos_notifications.service_layer.ports import Ports

log = get_logger("koos.notifications")


async def survey_opened(event: SurveyOpened, envelope: Envelope, ports: Ports) -> None:
    """One feedback request per confirmed participant."""
    edition_id = str(event.edition_id)
    now, cause = ports.clock.now(), cause_of(envelope)
    confirmed = await ports.participants.confirmed_in(edition_id)
    requests = [Notification.for_event("feedback_requested", p, cause, now, closes_at=event.closes_at)
                for p in confirmed]
    added = await ports.notifications.add(requests)
    log.info("feedback requested", edition_id=edition_id, participants=len(confirmed), added=added)
