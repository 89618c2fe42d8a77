"""A Kafka record as the consumer sees it, independent of the client library."""

from dataclasses import dataclass
from typing import Any

Headers = list[tuple[str, bytes]]
TopicPartitionKey = tuple[str, int]


@dataclass(frozen=True)
class Record:
    """One consumed Kafka record."""

    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None
    headers: Headers
    timestamp_ms: int | None = None
    """When the record was produced (or appended), as Kafka says; fills in a missing `ce_time`."""

    @classmethod
    def from_consumer_record(cls, raw: Any) -> "Record":
        """From an aiokafka ConsumerRecord."""
        headers = [(name, value or b"") for name, value in (raw.headers or ())]
        return cls(raw.topic, raw.partition, raw.offset, raw.key, raw.value, headers, getattr(raw, "timestamp", None))

    @property
    def position(self) -> TopicPartitionKey:
        """The topic and partition the record was read from."""
        return self.topic, self.partition

    def header(self, name: str) -> str | None:
        """A header's text, if present."""
        for key, value in self.headers:
            if key == name:
                return value.decode(errors="replace")
        return None
