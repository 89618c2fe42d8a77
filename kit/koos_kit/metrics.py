"""Prometheus metrics every service exposes on /metrics."""

from prometheus_client import Counter, Histogram

MESSAGES = Counter(
    "koos_messages_total",
    "Kafka records consumed, by topic, type and outcome (handled, ignored, dead_lettered, retried).",
    ["service", "topic", "type", "outcome"],
)
HANDLER_SECONDS = Histogram(
    "koos_handler_seconds",
    "Time spent in a message handler.",
    ["service", "type"],
)
OUTBOX_PUBLISHED = Counter(
    "koos_outbox_published_total",
    "Events published from an outbox.",
    ["service", "path"],
)
