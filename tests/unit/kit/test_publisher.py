"""A producer that a broker restart left unable to send is replaced: the send that met it fails (its caller
retries), the next one goes out through a new producer, and concurrent sends replace it once."""

import asyncio
from typing import Any

import pytest
from aiokafka.errors import KafkaConnectionError, OutOfOrderSequenceNumber

from koos_contracts import wrap
from koos_kit.messaging.publisher import KafkaPublisher
from tests.unit.kit.test_dispatcher import registration


class Producer:
    """Stands for aiokafka's producer: it sends, or fails every send with the error it was given."""

    def __init__(self, failing: Exception | None = None) -> None:
        self.failing = failing
        self.sent: list[str] = []
        self.started = self.stopped = False

    async def start(self) -> None:
        self.started = True

    async def stop(self) -> None:
        self.stopped = True

    async def send(self, topic: str, value: bytes | None, **_: Any) -> "asyncio.Future[None]":
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        if self.failing is not None:
            future.set_exception(self.failing)
        else:
            self.sent.append(topic)
            future.set_result(None)
        return future


def _envelope() -> Any:
    return wrap(registration(), source="/t", organisation_id="org")


async def _publisher(*producers: Producer) -> tuple[KafkaPublisher, list[Producer]]:
    made: list[Producer] = []
    queue = list(producers)

    def make() -> Producer:
        made.append(queue.pop(0) if queue else Producer())
        return made[-1]

    publisher = KafkaPublisher(make)  # type: ignore[arg-type]
    await publisher.start()
    return publisher, made


async def test_an_unusable_producer_is_replaced_and_the_next_send_goes_out() -> None:
    publisher, made = await _publisher(Producer(OutOfOrderSequenceNumber()))

    with pytest.raises(OutOfOrderSequenceNumber):
        await publisher.publish([_envelope()])
    await publisher.publish([_envelope()])

    assert len(made) == 2 and made[0].stopped and made[1].started
    assert made[1].sent == ["koos.registration.commands.v1"] and publisher.replaced == 1


async def test_concurrent_sends_that_meet_it_replace_it_once() -> None:
    publisher, made = await _publisher(Producer(OutOfOrderSequenceNumber()))

    results = await asyncio.gather(*(publisher.publish([_envelope()]) for _ in range(5)), return_exceptions=True)

    assert all(isinstance(r, OutOfOrderSequenceNumber) for r in results)
    assert len(made) == 2 and publisher.replaced == 1


async def test_a_broker_that_is_away_keeps_the_producer() -> None:
    publisher, made = await _publisher(Producer(KafkaConnectionError()))

    with pytest.raises(KafkaConnectionError):
        await publisher.publish([_envelope()])

    assert len(made) == 1 and publisher.replaced == 0
