"""The partners' edge on Kafka: commands in from each organisation's own topic, its results out to its own.

A partner may write only to `koos.partner.<org>.commands.v1` (Kafka's ACLs see to that), so the topic
is the proof of the organisation: the envelope's `ce_organisationid` is never believed. A record that
claims another organisation, is not a CloudEvent of a known schema, or is not a command a partner may
send, or that would be too large for a Koos topic once forwarded (headers filled in, personal fields sealed),
is dead-lettered on the topic's `.dlq` twin with the reason; the rest is forwarded to the owning
service's command topic with the same value and `ce_id`, the organisation the topic's, and what CloudEvents
lets a partner leave out filled in: `ce_time` from the record's timestamp, the partition key from the record
key (or the command's edition), `ce_correlationid` from `ce_id`. Outbound, every result event of an
organisation with a partner is copied to that organisation's results topic, headers and all
(`ce_causationid` names the partner's command).
"""

from collections.abc import Container
from dataclasses import dataclass

from koos_contracts import (
    Envelope,
    InvalidMessage,
    MalformedRecord,
    UnknownMessageType,
    from_record,
    parse,
    to_record,
)
from koos_contracts.catalogue import MESSAGE_TYPES
from koos_contracts.partners import PARTNER_COMMAND_TYPES, PARTNER_COMMANDS, PARTNER_RESULT_TYPES
from koos_contracts.topics import RECORD_LIMIT_BYTES, PartnerTopics, organisation_of_partner_topic
from koos_kit.messaging.dead_letters import OVERHEAD_BYTES, dead_letter_headers, fitting
from koos_kit.messaging.records import Headers, Record

ORGANISATION_HEADER = "ce_organisationid"
ALLOWED = ", ".join(m.ce_type() for m in PARTNER_COMMANDS)


@dataclass(frozen=True)
class Outgoing:
    """A record to produce, and what became of the one consumed (forwarded or dead_lettered)."""

    topic: str
    key: bytes | None
    value: bytes | None
    headers: Headers
    outcome: str = "forwarded"

    @property
    def size(self) -> int:
        """What the record weighs against a topic's limit (batch overhead aside)."""
        return (len(self.key or b"") + len(self.value or b"")
                + sum(len(name) + len(value) for name, value in self.headers))


class Refused(ValueError):
    """A partner's record that is not forwarded; the message is the reason in its dead letter."""

    def __init__(self, reason: str, error_type: str) -> None:
        super().__init__(reason)
        self.error_type = error_type


class PartnerBridge:
    """Decides where each partner record goes; it does no I/O."""

    def __init__(self, topic_prefix: str, consumer: str) -> None:
        self._prefix = topic_prefix
        self._consumer = consumer

    def inbound(self, record: Record) -> Outgoing:
        """The forwarded command, or its dead letter."""
        try:
            return self._forward(record)
        except Refused as refusal:
            return self._dead_letter(record, refusal)

    def fitted(self, outgoing: Outgoing, record: Record, limit: int = RECORD_LIMIT_BYTES) -> Outgoing:
        """The forwarded command as it is, or the consumed record's dead letter when the command would be larger
        than its topic takes: a record Kafka refuses would otherwise stop the partner's partition for good."""
        if outgoing.outcome != "forwarded" or outgoing.size + OVERHEAD_BYTES <= limit:
            return outgoing
        return self._dead_letter(record, Refused(
            f"the command would be {outgoing.size:,} bytes on {outgoing.topic} once forwarded; a Koos command "
            f"topic takes at most {limit - OVERHEAD_BYTES:,}", "RecordTooLarge"))

    def _dead_letter(self, record: Record, refusal: Refused) -> Outgoing:
        headers = dead_letter_headers(record, str(refusal), refusal.error_type, self._consumer)
        value, headers = fitting(record.value or b"", headers)
        return Outgoing(f"{record.topic}.dlq", record.key, value, headers, "dead_lettered")

    def outbound(self, record: Record, partners: Container[str]) -> Outgoing | None:
        """The copy of a result event for its organisation's partner, or None when it has none."""
        organisation = self.result_organisation(record)
        if organisation is None or organisation not in partners:
            return None
        results = self._prefix + PartnerTopics(organisation).results
        return Outgoing(results, record.key, record.value, list(record.headers))

    @staticmethod
    def result_organisation(record: Record) -> str | None:
        """The organisation of a result event a partner may get, or None for any other record."""
        return record.header(ORGANISATION_HEADER) if record.header("ce_type") in PARTNER_RESULT_TYPES else None

    def organisation_of(self, topic: str) -> str | None:
        """The organisation whose inbound topic this is (in this namespace), or None."""
        return organisation_of_partner_topic(topic.removeprefix(self._prefix)) if topic.startswith(
            self._prefix) else None

    def _forward(self, record: Record) -> Outgoing:
        organisation = self.organisation_of(record.topic)
        if organisation is None:
            raise Refused(f"{record.topic} is not a partner's inbound topic", "NotAPartnerTopic")
        claimed = record.header(ORGANISATION_HEADER)
        if claimed is not None and claimed != organisation:
            raise Refused(f"{ORGANISATION_HEADER} {claimed!r} is not {organisation!r}, the organisation of "
                          f"{record.topic}: a partner acts for its own organisation only", "OrganisationMismatch")
        key = _key_of(record)
        envelope = _partner_command(record, organisation, key)
        target = self._prefix + MESSAGE_TYPES[envelope.type].topic.name
        headers = _complete_headers(record, envelope)
        return Outgoing(target, key or envelope.partitionkey.encode(), record.value, headers)


def _key_of(record: Record) -> bytes | None:
    """The record key, else its partition key header, else the key field of the command (its edition)."""
    if record.key:
        return record.key
    if header := record.header("ce_partitionkey"):
        return header.encode()
    message_type = MESSAGE_TYPES.get(record.header("ce_type") or "")
    if message_type is None or not record.value:
        return None
    try:
        return message_type.model_validate_json(record.value).partition_key().encode()
    except ValueError:
        return None


def _complete_headers(record: Record, envelope: Envelope) -> Headers:
    """Every CloudEvents header filled in (time, partition key, correlation, organisation), other headers kept."""
    _, _, attributes = to_record(envelope)
    written = {name for name, _ in attributes}
    return [(k, v) for k, v in record.headers if k not in written and not k.startswith("ce_")] + attributes


def _partner_command(record: Record, organisation: str, key: bytes | None) -> Envelope:
    headers = [(k, v) for k, v in record.headers if k != ORGANISATION_HEADER]
    headers.append((ORGANISATION_HEADER, organisation.encode()))
    try:
        envelope = from_record(record.value, headers, key=key, timestamp_ms=record.timestamp_ms)
        parse(envelope)
    except (MalformedRecord, UnknownMessageType, InvalidMessage) as error:
        raise Refused(str(error), type(error).__name__) from error
    if envelope.type not in PARTNER_COMMAND_TYPES:
        raise Refused(f"{envelope.type} is not a command a partner may send (only {ALLOWED})",
                      "NotAPartnerCommand")
    return envelope
