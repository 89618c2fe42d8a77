"""What a consumed batch came to, per partition: how far it is done, what was set aside, where to resume."""

from dataclasses import dataclass, field
from typing import Literal

from koos_kit.messaging.records import Record, TopicPartitionKey

Destination = Literal["dlq", "retry"]


@dataclass(frozen=True)
class Sidelined:
    """A record set aside: dead-lettered with the reason, or sent to wait in the retry twin."""

    record: Record
    destination: Destination
    reason: str
    error_type: str


@dataclass
class BatchReport:
    """Offsets advance per partition only over records that are done; a stalled partition resumes at `rewind`.

    Dead letters and retries are written together with the offsets that pass them (one Kafka transaction),
    so a batch that is consumed again never sets the same record aside twice.
    """

    first: dict[TopicPartitionKey, int] = field(default_factory=dict)
    done: dict[TopicPartitionKey, int] = field(default_factory=dict)
    rewind: dict[TopicPartitionKey, int] = field(default_factory=dict)
    sidelined: list[Sidelined] = field(default_factory=list)

    def started(self, record: Record) -> None:
        """Note the first record of a partition in this batch."""
        self.first.setdefault(record.position, record.offset)

    def complete(self, record: Record) -> None:
        """The record is done: its offset may be committed."""
        self.done[record.position] = record.offset + 1

    def dead_letter(self, record: Record, reason: str, error_type: str) -> None:
        """The record cannot be processed: it goes to the DLQ with the reason, and counts as done."""
        self.sidelined.append(Sidelined(record, "dlq", reason, error_type))
        self.complete(record)

    def retry(self, record: Record, reason: str) -> None:
        """The record must wait: it goes to the retry twin, and counts as done here."""
        self.sidelined.append(Sidelined(record, "retry", reason, "NotYet"))
        self.complete(record)

    def stall(self, record: Record) -> None:
        """A dependency failed at this record: its partition resumes here after a pause."""
        self.rewind[record.position] = record.offset

    def merge(self, other: "BatchReport") -> None:
        """Take in the report of another partition of the same batch."""
        self.first.update(other.first)
        self.done.update(other.done)
        self.rewind.update(other.rewind)
        self.sidelined.extend(other.sidelined)

    def dead_letters(self) -> list[Sidelined]:
        return [s for s in self.sidelined if s.destination == "dlq"]

    def retries(self) -> list[Sidelined]:
        return [s for s in self.sidelined if s.destination == "retry"]
