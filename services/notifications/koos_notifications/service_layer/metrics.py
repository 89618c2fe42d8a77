"""Prometheus counters of the notifications service."""

from prometheus_client import Counter

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
