"""Prometheus metrics every service exposes on /metrics."""

from prometheus_client import Counter, Gauge, Histogram

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

# Sampled every few seconds by koos_kit.sampling (what an operator alerts on).
CONSUMER_LAG = Gauge(
    "koos_consumer_lag",
    "Records of a partition this instance owns that its consumer has not reached yet (high watermark - position).",
    ["service", "group", "topic", "partition"],
)
DLQ_DEPTH = Gauge(
    "koos_dlq_depth",
    "Offsets held by the .dlq twin of a topic the service consumes (end - start: dead letters plus one "
    "transaction marker per batch that set some aside; 0 when empty or purged).",
    ["service", "topic"],
)
OUTBOX_BACKLOG = Gauge(
    "koos_outbox_backlog",
    "Documents of a collection with outbox events not published yet.",
    ["service", "collection"],
)
OUTBOX_OLDEST_SECONDS = Gauge(
    "koos_outbox_oldest_pending_seconds",
    "How long the oldest unpublished outbox event of a collection has waited (0 when none waits).",
    ["service", "collection"],
)
SAMPLED_AT = Gauge(
    "koos_metrics_sampled_timestamp_seconds",
    "When the service last sampled its gauges (Unix time): a stale value means the sampler stopped.",
    ["service"],
)

# Counted by koos_kit.retention.
RETENTION_PURGED = Counter(
    "koos_retention_purged_total",
    "Records whose personal data a retention run anonymised or deleted, by kind of data (koos_contracts.inventory).",
    ["service", "kind"],
)
RETENTION_LAST_RUN = Gauge(
    "koos_retention_last_run_timestamp_seconds",
    "When the service's retention job last finished a run (Unix time).",
    ["service"],
)
