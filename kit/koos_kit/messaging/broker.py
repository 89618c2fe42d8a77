"""The Kafka clients of a service: the FastStream broker of its subscribers (manual commits), its idempotent
producer (acks=all), and the transactional producer that writes dead letters and retries together with the
offsets that pass them."""

import logging
from uuid import uuid4

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from faststream import AckPolicy
from faststream.kafka import KafkaBroker

from koos_contracts.topics import SIDELINED_LIMIT_BYTES
from koos_kit.config import ServiceSettings
from koos_kit.messaging.security import aiokafka_options, faststream_security

ACK_POLICY = AckPolicy.MANUAL
"""Offsets are committed by the kit's subscriber, per partition, only over records that are done."""


def make_broker(settings: ServiceSettings) -> KafkaBroker:
    """The FastStream broker of the service's subscribers (it only consumes; the kit's producer publishes)."""
    return KafkaBroker(
        settings.kafka_bootstrap,
        security=faststream_security(settings.kafka),
        client_id=f"koos-{settings.service_name}",
        consumer_only=True,
        ack_policy=ACK_POLICY,
        logger=logging.getLogger(f"koos.{settings.service_name}.broker"),
        log_level=logging.DEBUG,
        graceful_timeout=15.0,
    )


def make_producer(settings: ServiceSettings) -> AIOKafkaProducer:
    """The service's producer: idempotent, acks=all, a few ms of linger so that concurrent sends batch."""
    return AIOKafkaProducer(
        **aiokafka_options(settings.kafka),
        client_id=f"koos-{settings.service_name}",
        enable_idempotence=True,
        acks="all",
        linger_ms=settings.kafka_linger_ms,
        max_batch_size=512 * 1024,
    )


def make_transactional_producer(settings: ServiceSettings) -> AIOKafkaProducer:
    """A producer of this process for transactions; its id starts with the consumer group (one per instance)."""
    return AIOKafkaProducer(
        **aiokafka_options(settings.kafka),
        client_id=f"koos-{settings.service_name}-tx",
        transactional_id=f"{settings.consumer_group}-{uuid4().hex[:12]}",
        enable_idempotence=True,
        acks="all",
        max_request_size=SIDELINED_LIMIT_BYTES,
    )


def make_key_consumer(settings: ServiceSettings) -> AIOKafkaConsumer:
    """A consumer outside any group, for a topic every instance reads whole (the key ring's)."""
    return AIOKafkaConsumer(**aiokafka_options(settings.kafka), client_id=f"koos-{settings.service_name}-keys",
                            group_id=None, enable_auto_commit=False, auto_offset_reset="earliest")
