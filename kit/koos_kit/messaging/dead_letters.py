"""Poison records go to the DLQ twin of their topic, with the reason and the original headers."""

from datetime import UTC, datetime
from uuid import NAMESPACE_URL, uuid5

from koos_contracts.topics import SIDELINED_LIMIT_BYTES
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


OVERHEAD_BYTES = 64 * 1024
"""What a record batch adds around one record, with room to spare."""


def fitting(value: bytes, headers: Headers, limit: int = SIDELINED_LIMIT_BYTES) -> tuple[bytes, Headers]:
    """The value and headers of a sidelined record as they fit its twin topic.

    A source topic takes less than its twins, so this changes nothing unless an operator raised a source
    topic's limit past its twins'. Then the value is left out and a header gives its size: the record is still
    dead-lettered, with where it came from, and its partition moves on.
    """
    size = len(value) + sum(len(name) + len(data) for name, data in headers)
    if size + OVERHEAD_BYTES <= limit:
        return value, headers
    return b"", [*headers, (f"{DLQ_HEADER_PREFIX}value_left_out_bytes", str(len(value)).encode())]
