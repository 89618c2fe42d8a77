"""Prometheus counters of the notifications service."""

from prometheus_client import Counter

ATTEMPTS = Counter(
    "koos_notifications_attempts_total",
    "Attempts to send a notification, by kind and outcome (sent, deferred, failed, skipped).",
    ["kind", "outcome"],
)
IN_DOUBT_RESENDS = Counter(
    "koos_notifications_in_doubt_resends_total",
    "Notifications found mid-send after their sender vanished, resent with the same Message-ID.",
    ["kind"],
)
