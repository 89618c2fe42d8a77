"""Poison records go to the DLQ twin of their topic, with the reason and the original headers."""

from datetime import UTC, datetime
from typing import Protocol

from faststream.kafka import KafkaBroker

from koos_kit.messaging.records import Record

DLQ_HEADER_PREFIX = "koos_dlq_"


class DeadLetterSink(Protocol):
    """Stores a record that cannot be processed, so that nothing is lost."""

    async def send(self, record: Record, reason: str, error_type: str) -> None: ...


def dead_letter_headers(record: Record, reason: str, error_type: str, consumer: str) -> dict[str, str]:
    """The original headers plus why, where from and when."""
    headers = {name: value.decode(errors="replace") for name, value in record.headers}
    headers.update(
        {
            f"{DLQ_HEADER_PREFIX}reason": reason[:2000],
            f"{DLQ_HEADER_PREFIX}error_type": error_type,
            f"{DLQ_HEADER_PREFIX}source_topic": record.topic,
            f"{DLQ_HEADER_PREFIX}source_partition": str(record.partition),
            f"{DLQ_HEADER_PREFIX}source_offset": str(record.offset),
            f"{DLQ_HEADER_PREFIX}consumer": consumer,
            f"{DLQ_HEADER_PREFIX}failed_at": datetime.now(UTC).isoformat(),
        }
    )
    return headers


class KafkaDeadLetterSink:
    """Publishes to `<topic>.dlq` and waits for Kafka's acknowledgement."""

    def __init__(self, broker: KafkaBroker, consumer: str) -> None:
        self._broker = broker
        self._consumer = consumer

    async def send(self, record: Record, reason: str, error_type: str) -> None:
        await self._broker.publish(
            record.value or b"",
            f"{record.topic}.dlq",
            key=record.key,
            headers=dead_letter_headers(record, reason, error_type, self._consumer),
        )
