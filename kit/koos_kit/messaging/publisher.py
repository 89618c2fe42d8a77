"""Publishing envelopes to Kafka in CloudEvents binary mode."""

import asyncio
import inspect
from collections.abc import Sequence

from faststream.kafka import KafkaBroker

from koos_contracts import Envelope, to_record
from koos_contracts.catalogue import MESSAGE_TYPES


def topic_of(envelope: Envelope) -> str:
    """The topic an envelope belongs on, from its type."""
    return str(MESSAGE_TYPES[envelope.type].topic.name)


class KafkaPublisher:
    """Sends envelopes through the service's broker and waits for every acknowledgement."""

    def __init__(self, broker: KafkaBroker, topic_prefix: str = "") -> None:
        self._broker = broker
        self._prefix = topic_prefix

    async def publish(self, envelopes: Sequence[Envelope]) -> None:
        pending = [await self._send(envelope) for envelope in envelopes]
        await asyncio.gather(*(future for future in pending if inspect.isawaitable(future)))

    async def _send(self, envelope: Envelope) -> object:
        key, value, headers = to_record(envelope)
        text_headers = {name: raw.decode() for name, raw in headers}
        return await self._broker.publish(
            value,
            self._prefix + topic_of(envelope),
            key=key,
            headers=text_headers,
            correlation_id=envelope.correlationid,
            no_confirm=True,
        )
