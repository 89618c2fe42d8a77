"""Prometheus counters and sampled gauges of the notifications service."""

from prometheus_client import Counter, Gauge

ATTEMPTS = Counter(
    "koos_notifications_attempts_total",
    "Attempts to send a notification, by kind and outcome (sent, deferred, failed, skipped).",
    ["kind", "outcome"],
)
IN_DOUBT = Counter(
    "koos_notifications_in_doubt_total",
    "Notifications an earlier attempt may have sent, by how the doubt was resolved: found_delivered (the provider "
    "holds the mail; not resent), resent_not_received (the provider has none), resent_unknown (no answer).",
    ["kind", "resolution"],
)
IN_DOUBT_NOW = Gauge(
    "koos_notifications_mails_in_doubt",
    "Notifications whose mail may have gone out without its outcome being recorded, right now (a sender vanished "
    "mid-send, or the server's answer was lost); sampled.",
)
OLDEST_PENDING_REMINDER_SECONDS = Gauge(
    "koos_notifications_oldest_pending_reminder_seconds",
    "How long the oldest reminder that is due has waited to be sent (0 when none is overdue); sampled.",
)
