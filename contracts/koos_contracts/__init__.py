"""Koos event contracts: messages, envelope, Kafka binding and topics."""

from koos_contracts.base import Command, Event, Message
from koos_contracts.catalogue import MESSAGE_TYPES, InvalidMessage, UnknownMessageType, parse
from koos_contracts.envelope import Envelope, wrap
from koos_contracts.kafka_binding import MalformedRecord, from_record, to_record
from koos_contracts.topics import ALL_TOPICS, Topic

__all__ = [
    "ALL_TOPICS",
    "MESSAGE_TYPES",
    "Command",
    "Envelope",
    "Event",
    "InvalidMessage",
    "MalformedRecord",
    "Message",
    "Topic",
    "UnknownMessageType",
    "from_record",
    "parse",
    "to_record",
    "wrap",
]
