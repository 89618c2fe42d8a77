"""Wires a dispatcher to FastStream Kafka batch subscribers: its topics, and their retry twins.

Offsets are committed by hand (ack policy MANUAL), per partition, only over records that are done. A batch
that fails as a whole (it never should) is consumed again from its first records: nothing is skipped.
"""

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from typing import Any

from aiokafka import ConsumerRecord
from faststream import AckPolicy
from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage
from faststream.message import StreamMessage

from koos_kit.logging import get_logger
from koos_kit.messaging.dispatcher import Dispatcher
from koos_kit.messaging.progress import BatchReport
from koos_kit.messaging.records import Record
from koos_kit.messaging.retry import due_at, meant_for, retry_topic
from koos_kit.messaging.settlement import Settlement

log = get_logger("koos.consumer")

Records = tuple[ConsumerRecord[Any, Any], ...]


@dataclass(frozen=True)
class ConsumerOptions:
    """How a service consumes: batch size, how long a poll waits, the pause after a stall."""

    group_id: str
    batch_records: int = 200
    batch_timeout_ms: int = 50
    stall_pause_seconds: float = 1.0
    max_retry_wait_seconds: float = 5.0

    @property
    def retry_group_id(self) -> str:
        """The retry twins are read in a group of their own, so that neither subscriber's joining (or leaving)
        rebalances the other's partitions."""
        return f"{self.group_id}-retries"


async def _raw_bodies(message: StreamMessage[Any]) -> Any:
    """Leave decoding to the dispatcher, so that bad JSON reaches the DLQ instead of failing here."""
    return message.body


async def _tolerant_parser(records: Records, parse: Callable[[Records], Awaitable[Any]]) -> Any:
    """Parse records whose headers may be missing or not UTF-8, instead of failing before the dispatcher."""
    return await parse(tuple(replace(r, headers=_clean(r.headers)) for r in records))


def _clean(headers: Any) -> tuple[tuple[str, bytes], ...]:
    return tuple((name, (value or b"").decode(errors="replace").encode()) for name, value in headers or ())


def subscribe(broker: KafkaBroker, dispatcher: Dispatcher, settlement: Settlement, options: ConsumerOptions, *,
              title: str) -> None:
    """Consume the dispatcher's topics and, apart, their retry twins, in the service's consumer group."""
    topics = dispatcher.subscription.topics

    async def consume(bodies: list[bytes], message: KafkaMessage) -> None:
        await _handle(message, dispatcher, settlement, options, options.group_id)

    async def consume_retries(bodies: list[bytes], message: KafkaMessage) -> None:
        await _wait_until_due(message, options)
        await _handle(message, dispatcher, settlement, options, options.retry_group_id)

    _subscriber(broker, topics, options.group_id, options, title, "read_uncommitted")(consume)
    _subscriber(broker, tuple(retry_topic(t) for t in topics), options.retry_group_id, options, f"{title}-retries",
                "read_committed")(consume_retries)


def _subscriber(broker: KafkaBroker, topics: tuple[str, ...], group_id: str, options: ConsumerOptions, title: str,
                isolation: Any) -> Any:
    return broker.subscriber(
        *topics, group_id=group_id, batch=True, max_records=options.batch_records,
        batch_timeout_ms=options.batch_timeout_ms, ack_policy=AckPolicy.MANUAL, auto_offset_reset="earliest",
        isolation_level=isolation, parser=_tolerant_parser, decoder=_raw_bodies, title=title,
        max_poll_interval_ms=600_000,
    )


async def _handle(message: KafkaMessage, dispatcher: Dispatcher, settlement: Settlement,
                  options: ConsumerOptions, group_id: str) -> None:
    records = [Record.from_consumer_record(raw) for raw in message.raw_message]
    if not records:
        return
    try:
        report = await dispatcher.dispatch_batch(records)
        await settlement.settle(message.consumer, report, group_id)
    except asyncio.CancelledError:
        raise
    except Exception as error:
        log.exception("batch failed; its partitions are consumed again", error_type=type(error).__name__)
        report = _from_the_start(records)
        await settlement.settle(message.consumer, report, group_id)
    if report.rewind:
        await asyncio.sleep(options.stall_pause_seconds)


def _from_the_start(records: list[Record]) -> BatchReport:
    report = BatchReport()
    for record in records:
        report.started(record)
    report.rewind.update(report.first)
    return report


async def _wait_until_due(message: KafkaMessage, options: ConsumerOptions) -> None:
    """Retried records are in due order per partition: wait for the latest of the batch, a bounded time."""
    records = [Record.from_consumer_record(raw) for raw in message.raw_message]
    latest = max((due_at(r) for r in records if meant_for(r, options.group_id)), default=0.0)
    delay = min(latest - time.time(), options.max_retry_wait_seconds)
    if delay > 0:
        await asyncio.sleep(delay)
