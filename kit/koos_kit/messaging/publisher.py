"""Publishing envelopes to Kafka in CloudEvents binary mode, with the service's own idempotent producer.

The producer is aiokafka's, owned by the kit (the FastStream broker only consumes): `acks=all`,
idempotence, a few ms of linger so that concurrent sends share a request; `publish` hands every envelope
to the producer at once and returns when Kafka has acknowledged them all. With tracing on, each record carries
the W3C `traceparent` of the trace it continues.

An idempotent producer can be left unable to send by a broker restart (the broker lost its sequence state:
`OutOfOrderSequenceNumber`, `UnknownProducerId`, a fenced or stale epoch); every later send would fail the same way.
The publisher then replaces it with a new producer (a new producer id) and raises the error, so that the caller
retries as after any refused send (the gateway answers 503, the outbox relay tries again) and the next send works.
"""

import asyncio
from collections.abc import Callable, Sequence

from aiokafka import AIOKafkaProducer
from aiokafka.errors import (
    InvalidProducerEpoch,
    InvalidProducerIdMapping,
    KafkaError,
    OutOfOrderSequenceNumber,
    ProducerClosed,
    ProducerFenced,
    UnknownProducerId,
)

from koos_contracts import Envelope, to_record
from koos_contracts.catalogue import MESSAGE_TYPES
from koos_kit.logging import get_logger
from koos_kit.tracing import with_trace

log = get_logger("koos.kit.publisher")
UNUSABLE = (OutOfOrderSequenceNumber, UnknownProducerId, InvalidProducerEpoch, InvalidProducerIdMapping,
            ProducerFenced, ProducerClosed)
"""Errors after which the producer cannot send again: it is replaced."""

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
        self._replacing = asyncio.Lock()
        self.replaced = 0
        """How many times a producer left unusable was replaced."""

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
        try:
            pending = []
            for envelope in envelopes:
                key, value, headers = to_record(self.seal(envelope) if self.seal else envelope)
                headers = with_trace(headers, envelope.correlationid)
                pending.append(await producer.send(self._prefix + topic_of(envelope), value, key=key,
                                                   headers=headers))
            await asyncio.gather(*pending)
        except UNUSABLE as error:
            await self._replace(producer, error)
            raise

    async def tombstone(self, topic: str, key: str) -> None:
        """Write a record without a value under a key of a compacted topic (the key is erased)."""
        producer = self._running()
        try:
            await (await producer.send(self._prefix + topic, None, key=key.encode()))
        except UNUSABLE as error:
            await self._replace(producer, error)
            raise

    async def _replace(self, broken: AIOKafkaProducer, error: KafkaError) -> None:
        """Put a new producer in the place of one that cannot send again (once, however many sends saw it)."""
        stop_broken = broken.stop
        async with self._replacing:
            if self._producer is not broken:
                return
            log.warning("producer unusable; replacing it", error_type=type(error).__name__)
            fresh = self._make()
            await fresh.start()
            self._producer = fresh
            self.replaced += 1
        try:
            await stop_broken()
        except Exception as stopping:  # the broken producer may fail to stop; the new one runs already
            log.warning("the replaced producer did not stop cleanly", error_type=type(stopping).__name__)

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
