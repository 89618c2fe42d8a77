"""Turns a consumed record into a call of the right handler: decode, dispatch, retry, dead-letter."""

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from aiokafka.errors import KafkaConnectionError, KafkaTimeoutError
from pymongo.errors import ConnectionFailure

from koos_contracts import Envelope, InvalidMessage, MalformedRecord, UnknownMessageType, from_record, parse
from koos_kit.errors import RetryLater
from koos_kit.logging import correlation, get_logger
from koos_kit.messaging.dead_letters import DeadLetterSink
from koos_kit.messaging.records import Record
from koos_kit.metrics import HANDLER_SECONDS, MESSAGES

Handler = Callable[[Any, Envelope], Awaitable[None]]
PortedHandler = Callable[[Any, Envelope, Any], Awaitable[None]]

log = get_logger("koos.consumer")


TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (
    RetryLater,
    ConnectionFailure,
    KafkaConnectionError,
    KafkaTimeoutError,
)


def bind(handler: PortedHandler, ports: Any) -> Handler:
    """A handler with its ports filled in, as a subscription wants it."""

    async def handle(message: Any, envelope: Envelope) -> None:
        await handler(message, envelope, ports)

    return handle


@dataclass(frozen=True)
class Subscription:
    """Topics a service consumes and the handler of each message type it cares about."""

    topics: tuple[str, ...]
    handlers: Mapping[str, Handler]
    dead_letter_unhandled: bool = False


class Dispatcher:
    """Runs the handler of a record at least once and never blocks its partition on a poison record."""

    def __init__(self, subscription: Subscription, dead_letters: DeadLetterSink, *, service: str,
                 attempts: int = 3, backoff_seconds: float = 0.5) -> None:
        self.subscription = subscription
        self._dead_letters = dead_letters
        self._service = service
        self._attempts = attempts
        self._backoff = backoff_seconds

    async def dispatch(self, record: Record) -> None:
        """Handle one record; raise only for a transient failure, so that Kafka redelivers it."""
        try:
            envelope = from_record(record.value, record.headers)
            message = parse(envelope)
        except (MalformedRecord, UnknownMessageType, InvalidMessage) as error:
            await self._dead_letter(record, str(error), type(error).__name__)
            return
        with correlation(envelope.correlationid, event_id=envelope.id, event_type=envelope.type):
            await self._route(record, envelope, message)

    async def _route(self, record: Record, envelope: Envelope, message: Any) -> None:
        handler = self.subscription.handlers.get(envelope.type)
        if handler is not None:
            await self._run_with_retries(record, handler, envelope, message)
        elif self.subscription.dead_letter_unhandled:
            await self._dead_letter(record, f"no handler for {envelope.type}", "UnhandledMessageType")
        else:
            self._count(record, envelope.type, "ignored")

    async def _run_with_retries(self, record: Record, handler: Handler, envelope: Envelope, message: Any) -> None:
        for attempt in range(1, self._attempts + 1):
            try:
                await self._timed(handler, envelope, message)
                self._count(record, envelope.type, "handled")
                return
            except TRANSIENT_ERRORS as error:
                await self._pause_before_redelivery(record, envelope, error)
                raise
            except Exception as error:
                if attempt == self._attempts:
                    log.exception("handler failed; dead-lettering", attempts=attempt, error_type=type(error).__name__)
                    await self._dead_letter(record, _describe(error, attempt), type(error).__name__)
                    return
                log.warning("handler failed; retrying", attempt=attempt, error_type=type(error).__name__)
                self._count(record, envelope.type, "retried")
                await asyncio.sleep(self._backoff * attempt)

    async def _timed(self, handler: Handler, envelope: Envelope, message: Any) -> None:
        started = time.perf_counter()
        try:
            await handler(message, envelope)
        finally:
            HANDLER_SECONDS.labels(self._service, envelope.type).observe(time.perf_counter() - started)

    async def _pause_before_redelivery(self, record: Record, envelope: Envelope, error: BaseException) -> None:
        log.warning("dependency unavailable; record will be redelivered", error_type=type(error).__name__,
                    topic=record.topic, partition=record.partition, offset=record.offset)
        self._count(record, envelope.type, "redelivered")
        await asyncio.sleep(self._backoff * 2)

    async def _dead_letter(self, record: Record, reason: str, error_type: str) -> None:
        log.warning("record dead-lettered", topic=record.topic, partition=record.partition,
                    offset=record.offset, error_type=error_type)
        await self._dead_letters.send(record, reason, error_type)
        self._count(record, record.header("ce_type") or "unknown", "dead_lettered")

    def _count(self, record: Record, type_name: str, outcome: str) -> None:
        MESSAGES.labels(self._service, record.topic, type_name, outcome).inc()


def _describe(error: Exception, attempts: int) -> str:
    return f"handler failed {attempts} times: {type(error).__name__}: {error}"
