"""Publishing envelopes to Kafka in CloudEvents binary mode, with the service's own idempotent producer.

The producer is aiokafka's, owned by the kit (the FastStream broker only consumes): `acks=all`,
idempotence, a few ms of linger so that concurrent sends share a request; `publish` hands every envelope
to the producer at once and returns when Kafka has acknowledged them all. With tracing on, each record carries
the W3C `traceparent` of the trace it continues.
"""

import asyncio
from collections.abc import Callable, Sequence

from aiokafka import AIOKafkaProducer
from aiokafka.errors import KafkaError

from koos_contracts import Envelope, to_record
from koos_contracts.catalogue import MESSAGE_TYPES
from koos_kit.tracing import with_trace

ProducerFactory = Callable[[], AIOKafkaProducer]
Sealer = Callable[[Envelope], Envelope]


def topic_of(envelope: Envelope) -> str:
    """The topic an envelope belongs on, from its type."""
    return str(MESSAGE_TYPES[envelope.type].topic.name)


class KafkaPublisher:
    """Sends envelopes and waits for every acknowledgement; started and stopped with the service."""

    def __init__(self, make_producer: ProducerFactory, topic_prefix: str = "", seal: Sealer | None = None) -> None:
        self._make = make_producer
        self._prefix = topic_prefix
        self.seal = seal
        """Seals the personal fields of each envelope on its way out (`koos_kit.privacy`)."""
        self._producer: AIOKafkaProducer | None = None

    async def start(self) -> None:
        if self._producer is None:
            producer = self._make()
            await producer.start()
            self._producer = producer

    async def stop(self) -> None:
        if self._producer is not None:
            await self._producer.stop()
            self._producer = None

    async def publish(self, envelopes: Sequence[Envelope]) -> None:
        producer = self._running()
        pending = []
        for envelope in envelopes:
            key, value, headers = to_record(self.seal(envelope) if self.seal else envelope)
            headers = with_trace(headers, envelope.correlationid)
            pending.append(await producer.send(self._prefix + topic_of(envelope), value, key=key, headers=headers))
        await asyncio.gather(*pending)

    async def tombstone(self, topic: str, key: str) -> None:
        """Write a record without a value under a key of a compacted topic (the key is erased)."""
        await (await self._running().send(self._prefix + topic, None, key=key.encode()))

    async def ready(self, timeout: float = 2.0) -> bool:
        """Whether the cluster answers a metadata request."""
        if self._producer is None:
            return False
        try:
            async with asyncio.timeout(timeout):
                metadata = await self._producer.client.fetch_all_metadata()
        except (TimeoutError, KafkaError, OSError):
            return False
        return bool(metadata.brokers())

    def _running(self) -> AIOKafkaProducer:
        if self._producer is None:
            raise KafkaError("the publisher is not started")
        return self._producer
