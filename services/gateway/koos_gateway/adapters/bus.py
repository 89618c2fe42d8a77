"""Publishing commands to Kafka, with a bound on how long a request waits for the acknowledgement."""

import asyncio

from aiokafka.errors import KafkaError

from koos_contracts import Envelope
from koos_gateway.domain.errors import Unavailable
from koos_gateway.service_layer.ports import CommandBus
from koos_kit.logging import get_logger
from koos_kit.ports import Publisher

log = get_logger("koos.gateway.bus")


class KafkaCommandBus(CommandBus):
    """Waits for Kafka's acknowledgement (acks=all) up to `timeout_seconds`, else answers Unavailable."""

    def __init__(self, publisher: Publisher, timeout_seconds: float) -> None:
        self._publisher = publisher
        self._timeout = timeout_seconds

    async def publish(self, envelope: Envelope) -> None:
        try:
            await asyncio.wait_for(self._publisher.publish([envelope]), self._timeout)
        except (TimeoutError, KafkaError) as error:
            log.warning("command not acknowledged by Kafka", error_type=type(error).__name__)
            raise Unavailable("the message bus did not accept the request; try again shortly",
                              code="bus_unavailable") from error
