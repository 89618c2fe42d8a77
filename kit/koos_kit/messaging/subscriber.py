"""Wires a dispatcher to a FastStream Kafka subscriber with the project's ack policy."""

from typing import Any

from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage
from faststream.message import StreamMessage

from koos_kit.messaging.broker import ACK_POLICY
from koos_kit.messaging.dispatcher import Dispatcher
from koos_kit.messaging.records import Record


async def _raw_body(message: StreamMessage[Any]) -> bytes:
    """Leave decoding to the dispatcher, so that bad JSON reaches the DLQ instead of failing here."""
    return message.body


def subscribe(broker: KafkaBroker, dispatcher: Dispatcher, *, group_id: str | None, title: str) -> None:
    """Consume the dispatcher's topics in a consumer group, committing only after each record is done."""

    async def consume(body: bytes, message: KafkaMessage) -> None:
        await dispatcher.dispatch(Record.from_consumer_record(message.raw_message))

    broker.subscriber(
        *dispatcher.subscription.topics,
        group_id=group_id,
        ack_policy=ACK_POLICY,
        auto_offset_reset="earliest",
        decoder=_raw_body,
        title=title,
        max_poll_interval_ms=600_000,
    )(consume)
