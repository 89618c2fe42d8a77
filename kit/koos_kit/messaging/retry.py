"""Records that must wait travel through the `.retry` twin of their topic, with their attempt and due time.

A retried record keeps its key, value and CloudEvents headers; `koos_retry_*` headers say which attempt it is,
when it is due, why it waits, where it first came from and which consumer group it is for (the twin is read by
every service that consumes the topic; the others pass it by). Every retry waits the same delay, so a retry
partition is in due order and its consumer only ever waits for the record at its head. An operator's replay
(`koos replay`) puts records on the twin the same way, due at once, for one service's group.
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
GROUP = f"{PREFIX}group"


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


def meant_for(record: Record, group: str) -> bool:
    """Whether a consumer group handles the record: any record of a topic, a retried one only if it is its own."""
    target = record.header(GROUP)
    return not target or target == group


def retry_headers(record: Record, reason: str, policy: RetryPolicy, now: float | None = None,
                  group: str = "") -> Headers:
    """The record's own headers with the next attempt, its due time, the reason, where it came from and for whom."""
    source = record.header(SOURCE) or f"{record.topic}/{record.partition}/{record.offset}"
    due = (now if now is not None else time.time()) + policy.delay_seconds
    return waiting_headers(record.headers, attempt=attempt_of(record) + 1, due=due, reason=reason, source=source,
                           group=group)


def waiting_headers(headers: Headers, *, attempt: int, due: float, reason: str, source: str,
                    group: str = "") -> Headers:
    """Headers without earlier `koos_retry_*` ones, plus this attempt's (a retry's, or an operator's replay)."""
    kept = [(name, value) for name, value in headers if not name.startswith(PREFIX)]
    extra = [(ATTEMPT, str(attempt).encode()), (DUE_AT, f"{due:.3f}".encode()), (REASON, reason[:500].encode()),
             (SOURCE, source.encode())]
    return [*kept, *extra, *([(GROUP, group.encode())] if group else [])]
