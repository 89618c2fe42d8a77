"""Wires a dispatcher to a FastStream Kafka batch subscriber with the project's ack policy."""

from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any

from aiokafka import ConsumerRecord
from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage
from faststream.message import StreamMessage

from koos_kit.messaging.broker import ACK_POLICY
from koos_kit.messaging.dispatcher import Dispatcher
from koos_kit.messaging.records import Record

BATCH_RECORDS = 200
"""Records handled between two offset commits: a crash redoes at most this many (harmlessly)."""

Records = tuple[ConsumerRecord[Any, Any], ...]


async def _raw_bodies(message: StreamMessage[Any]) -> Any:
    """Leave decoding to the dispatcher, so that bad JSON reaches the DLQ instead of failing here."""
    return message.body


async def _tolerant_parser(records: Records, parse: Callable[[Records], Awaitable[Any]]) -> Any:
    """Parse records whose headers may be missing or not UTF-8, instead of failing before the dispatcher."""
    return await parse(tuple(replace(r, headers=_clean(r.headers)) for r in records))


def _clean(headers: Any) -> tuple[tuple[str, bytes], ...]:
    return tuple((name, (value or b"").decode(errors="replace").encode()) for name, value in headers or ())


def subscribe(broker: KafkaBroker, dispatcher: Dispatcher, *, group_id: str, title: str) -> None:
    """Consume the dispatcher's topics in a consumer group; offsets are committed after each batch is done."""

    async def consume(bodies: list[bytes], message: KafkaMessage) -> None:
        for raw in message.raw_message:
            await dispatcher.dispatch(Record.from_consumer_record(raw))

    broker.subscriber(
        *dispatcher.subscription.topics,
        group_id=group_id,
        batch=True,
        max_records=BATCH_RECORDS,
        ack_policy=ACK_POLICY,
        auto_offset_reset="earliest",
        parser=_tolerant_parser,
        decoder=_raw_bodies,
        title=title,
        max_poll_interval_ms=600_000,
    )(consume)
