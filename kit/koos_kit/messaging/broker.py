"""The Kafka broker of a service: commits only after success, idempotent producer with acks=all."""

import logging

from faststream import AckPolicy
from faststream.kafka import KafkaBroker

from koos_kit.config import ServiceSettings
from koos_kit.messaging.security import faststream_security

ACK_POLICY = AckPolicy.NACK_ON_ERROR
"""Commit an offset only after the handler returned; on an unhandled error seek back and redeliver."""


def make_broker(settings: ServiceSettings) -> KafkaBroker:
    """A broker whose producer is idempotent (acks=all) and whose consumers never ack first."""
    return KafkaBroker(
        settings.kafka_bootstrap,
        security=faststream_security(settings.kafka),
        client_id=f"koos-{settings.service_name}",
        enable_idempotence=True,
        acks="all",
        ack_policy=ACK_POLICY,
        logger=logging.getLogger(f"koos.{settings.service_name}.broker"),
        log_level=logging.DEBUG,
        graceful_timeout=15.0,
    )
