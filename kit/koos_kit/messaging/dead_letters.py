"""Poison records go to the DLQ twin of their topic, with the reason and the original headers."""

from datetime import UTC, datetime
from uuid import NAMESPACE_URL, uuid5

from koos_kit.messaging.records import Headers, Record
from koos_kit.messaging.retry import SOURCE, origin_topic

DLQ_HEADER_PREFIX = "koos_dlq_"


def dead_letter_id(record: Record) -> str:
    """The same id for the same source record, however often it is read: readers can tell a repeat."""
    source = record.header(SOURCE) or f"{record.topic}/{record.partition}/{record.offset}"
    return str(uuid5(NAMESPACE_URL, f"koos-dlq:{source}"))


def dead_letter_topic(record: Record) -> str:
    """The DLQ twin of the topic the record belongs to (also when it was read from its retry twin)."""
    return f"{origin_topic(record.topic)}.dlq"


def dead_letter_headers(record: Record, reason: str, error_type: str, consumer: str) -> Headers:
    """The original headers plus why, where from and when."""
    headers = [(name, value.decode(errors="replace").encode()) for name, value in record.headers]
    extra = {
        "id": dead_letter_id(record),
        "reason": reason[:2000],
        "error_type": error_type,
        "source_topic": record.topic,
        "source_partition": str(record.partition),
        "source_offset": str(record.offset),
        "consumer": consumer,
        "failed_at": datetime.now(UTC).isoformat(),
    }
    return headers + [(f"{DLQ_HEADER_PREFIX}{name}", value.encode()) for name, value in extra.items()]
