"""Mails a person asked for. ResendLinks: the links of their registration again; the answer never says whether
one exists. The command is answered once, with LinksResent through the replies' outbox; the mail itself goes the
way of every notification (the send loop, with its delivery log and NotificationSent/NotificationFailed).
PersonalDataExportReady: the link to the copy of their data, once per request (the mail's id is the request's).
"""

from dataclasses import dataclass
from datetime import timedelta

from koos_contracts import Envelope
from koos_contracts.notifications import LinksResent, ResendLinks
from koos_contracts.personal_data import PersonalDataExportReady
from koos_kit.clock import Clock
from koos_kit.events import EventFactory
from koos_kit.logging import get_logger
from koos_kit.ports import Replies
from koos_notifications.domain.resend import RESEND_EVERY, export_ready_mail, links_mail_for
from koos_notifications.service_layer.facts import cause_of
from koos_notifications.service_layer.ports import Notifications, Participants, Ports

log = get_logger("koos.notifications")


@dataclass(frozen=True)
class ResendPorts:
    """What the command's handler may touch."""

    participants: Participants
    notifications: Notifications
    replies: Replies
    clock: Clock
    factory: EventFactory
    every: timedelta = RESEND_EVERY


async def resend_links(command: ResendLinks, envelope: Envelope, ports: ResendPorts) -> None:
    """Plan the mail of the person's links if their registration stands, then answer the command once."""
    participant = await ports.participants.get(str(command.registration_id))
    notice = links_mail_for(participant, envelope.organisationid, cause_of(envelope), ports.clock.now(), ports.every)
    mailed = notice is not None and await ports.notifications.add([notice]) == 1
    answer = LinksResent(edition_id=command.edition_id, registration_id=command.registration_id, mailed=mailed)
    if await ports.replies.reply(envelope, ports.factory.caused_by(envelope, [answer])):
        log.info("links asked for again", mailed=mailed)


async def export_ready(event: PersonalDataExportReady, envelope: Envelope, ports: Ports) -> None:
    """Mail the person the link to their export, once, at the address of the registration they asked from."""
    participant = await ports.participants.get(str(event.registration_id))
    notice = export_ready_mail(participant, envelope.organisationid, event.request_id, cause_of(envelope),
                               ports.clock.now())
    if notice is not None and await ports.notifications.add([notice]) == 1:
        log.info("export ready mail planned")
