"""Records that must wait travel through the `.retry` twin of their topic, with their attempt and due time.

A retried record keeps its key, value and CloudEvents headers; `koos_retry_*` headers say which attempt it is,
when it is due, why it waits and where it first came from. Every retry waits the same delay, so a retry
partition is in due order and its consumer only ever waits for the record at its head.
"""

import time
from dataclasses import dataclass

from koos_kit.messaging.records import Headers, Record

RETRY_SUFFIX = ".retry"
PREFIX = "koos_retry_"
ATTEMPT = f"{PREFIX}attempt"
DUE_AT = f"{PREFIX}due_at"
REASON = f"{PREFIX}reason"
SOURCE = f"{PREFIX}source"


@dataclass(frozen=True)
class RetryPolicy:
    """How long a record waits before its next attempt, and how many attempts it gets before the DLQ."""

    delay_seconds: float = 2.0
    max_attempts: int = 20


def origin_topic(topic: str) -> str:
    """The topic a record belongs to, whether it was read there or from its `.retry` twin."""
    return topic.removesuffix(RETRY_SUFFIX)


def retry_topic(topic: str) -> str:
    """The `.retry` twin of a record's topic."""
    return origin_topic(topic) + RETRY_SUFFIX


def attempt_of(record: Record) -> int:
    """How many times the record has waited already (0 when read from its own topic)."""
    text = record.header(ATTEMPT)
    return int(text) if text and text.isdigit() else 0


def due_at(record: Record) -> float:
    """When a retried record may be tried again (epoch seconds); 0 for a record read from its own topic."""
    text = record.header(DUE_AT)
    try:
        return float(text) if text else 0.0
    except ValueError:
        return 0.0


def retry_headers(record: Record, reason: str, policy: RetryPolicy, now: float | None = None) -> Headers:
    """The record's own headers with the next attempt, its due time, the reason and where it came from."""
    kept = [(name, value) for name, value in record.headers if not name.startswith(PREFIX)]
    source = record.header(SOURCE) or f"{record.topic}/{record.partition}/{record.offset}"
    due = (now if now is not None else time.time()) + policy.delay_seconds
    return [*kept, (ATTEMPT, str(attempt_of(record) + 1).encode()), (DUE_AT, f"{due:.3f}".encode()),
            (REASON, reason[:500].encode()), (SOURCE, source.encode())]
