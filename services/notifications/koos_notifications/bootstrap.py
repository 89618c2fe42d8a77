"""Builds the notifications service from its settings."""

from datetime import timedelta

from koos_kit.clock import Clock
from koos_kit.logging import get_logger
from koos_kit.replies import CommandReplies
from koos_kit.wiring import Wiring
from koos_notifications.adapters.editions import MongoEditions
from koos_notifications.adapters.gauges import notification_gauges
from koos_notifications.adapters.lookup import HttpDeliveryLookup, NoDeliveryLookup
from koos_notifications.adapters.notifications import MongoNotifications
from koos_notifications.adapters.participants import MongoParticipants
from koos_notifications.adapters.personal_data import NotificationsHolder
from koos_notifications.adapters.rendering import JinjaRenderer
from koos_notifications.adapters.retention import NotificationRetention
from koos_notifications.adapters.smtp import SmtpMailer
from koos_notifications.config import Settings
from koos_notifications.domain.delivery import RetryPolicy
from koos_notifications.entrypoints.consumers import commands, subscription
from koos_notifications.service_layer.mailing import DeliveryLookup, Mailer, MailSettings, Paced, SendRate, Unlimited
from koos_notifications.service_layer.ports import DeliverySettings, Ports
from koos_notifications.service_layer.reminding import plan_due_reminders
from koos_notifications.service_layer.resending import ResendPorts
from koos_notifications.service_layer.sending import send_due

log = get_logger("koos.notifications")


def bootstrap(settings: Settings, clock: Clock | None = None, mailer: Mailer | None = None) -> Wiring:
    """The wired service, ready to run: consumers, the reminder planner and the send loop (`send_workers` sends
    side by side; none sends nothing)."""
    wiring = Wiring(settings, clock)
    _warn_about(settings)
    ports = _ports(settings, wiring, mailer)
    wiring.consume(subscription(ports), title="notifications-facts")
    resending = resend_ports(wiring, ports, settings)
    wiring.consume(commands(resending), title="notifications-commands")
    holder = NotificationsHolder(wiring.db["participants"], wiring.db["notifications"])
    wiring.on_startup(holder.ensure_indexes)
    wiring.answer_privacy_requests(holder, resending.replies)
    wiring.every(settings.reminder_plan_seconds, lambda: plan_due_reminders(ports), "reminder-planner")
    db = wiring.db
    wiring.retention(NotificationRetention(db["notifications"], db["participants"], db["editions"]).purges())
    if settings.send_workers > 0:
        wiring.every(settings.send_poll_seconds, lambda: send_due(ports), "send-loop")
        wiring.runtime.on_shutdown.append(ports.mailer.close)
    return wiring


def _ports(settings: Settings, wiring: Wiring, mailer: Mailer | None) -> Ports:
    collection = wiring.db["notifications"]
    notifications = MongoNotifications(collection, wiring.db["due"], wiring.relay([collection]), wiring.clock)
    wiring.sampler.add(notification_gauges(collection, wiring.clock))
    participants = MongoParticipants(wiring.db["participants"])
    editions = MongoEditions(wiring.db["editions"])
    for store in (notifications, participants, editions):
        wiring.on_startup(store.ensure_indexes)
    wiring.on_startup(notifications.requeue_waiting)
    return Ports(editions=editions, participants=participants, notifications=notifications,
                 mailer=mailer or _smtp(settings), lookup=_lookup(settings), renderer=JinjaRenderer(),
                 clock=wiring.clock, mail=_mail_settings(settings), delivery=_delivery(settings),
                 source=settings.source, send_rate=_send_rate(settings))


def resend_ports(wiring: Wiring, ports: Ports, settings: Settings) -> ResendPorts:
    """What the ResendLinks command needs: the participants, the notifications and a replies outbox."""
    replied = wiring.db["replies"]
    replies = CommandReplies(replied, wiring.relay([replied]), wiring.clock)
    wiring.on_startup(replies.ensure_indexes)
    return ResendPorts(participants=ports.participants, notifications=ports.notifications, replies=replies,
                       clock=wiring.clock, factory=wiring.factory,
                       every=timedelta(minutes=settings.links_resent_every_minutes))


def _warn_about(settings: Settings) -> None:
    if not settings.participant_token_private_key:
        log.warning("KOOS_PARTICIPANT_TOKEN_PRIVATE_KEY is not set: links in mails are signed with the development key")
    if not settings.smtp_lookup_url:
        log.info("KOOS_SMTP_LOOKUP_URL is not set: a mail left in doubt by a crash is resent (at-least-once)")


def _smtp(settings: Settings) -> SmtpMailer:
    return SmtpMailer(settings.smtp_host, settings.smtp_port, timeout=settings.smtp_timeout_seconds,
                      deadline=settings.send_deadline_seconds, starttls=settings.smtp_starttls,
                      local_hostname=settings.smtp_local_hostname)


def _send_rate(settings: Settings) -> SendRate:
    if settings.send_rate_per_second <= 0:
        return Unlimited()
    return Paced(settings.send_rate_per_second)


def _lookup(settings: Settings) -> DeliveryLookup:
    if not settings.smtp_lookup_url:
        return NoDeliveryLookup()
    return HttpDeliveryLookup(settings.smtp_lookup_url, timeout=settings.lookup_timeout_seconds)


def _mail_settings(settings: Settings) -> MailSettings:
    return MailSettings(sender=settings.smtp_from, message_id_domain=settings.message_id_domain,
                        public_base_url=settings.public_base_url,
                        participant_tokens=settings.participant_token_signer(),
                        web_base_url=settings.web_base_url)


def _delivery(settings: Settings) -> DeliverySettings:
    retry = RetryPolicy(max_attempts=settings.send_max_attempts,
                        backoff=timedelta(seconds=settings.send_backoff_seconds),
                        max_backoff=timedelta(seconds=settings.send_backoff_max_seconds))
    return DeliverySettings(retry=retry, lease=timedelta(seconds=settings.send_lease_seconds),
                            reminder_lead=timedelta(seconds=settings.reminder_lead_seconds),
                            batch=settings.claim_batch, senders=max(1, settings.send_workers))
