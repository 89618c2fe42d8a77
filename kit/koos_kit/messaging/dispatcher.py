"""Turns consumed records into handler calls: decode, dispatch per record or per batch, retry, set aside.

Records of one partition are handled in order. Consecutive records whose type has a batch handler are given
to it together (it decides them all in memory and writes once); others go one by one to their handler. A
record that cannot be processed is dead-lettered, one that must wait goes to the retry twin, and a failing
dependency stalls only its partition at that record: what came before it stays done and is never redone.
"""

import asyncio
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from aiokafka.errors import KafkaConnectionError, KafkaTimeoutError
from pymongo.errors import ConnectionFailure

from koos_contracts import InvalidMessage, MalformedRecord, UnknownMessageType, from_record, parse
from koos_kit.errors import NotYet, RetryLater
from koos_kit.logging import correlation, get_logger
from koos_kit.messaging.progress import BatchReport
from koos_kit.messaging.records import Record
from koos_kit.messaging.retry import RetryPolicy, attempt_of, meant_for
from koos_kit.messaging.subscription import BatchHandler, Delivery, Handler, Subscription, Waiting, bind
from koos_kit.metrics import HANDLER_SECONDS, MESSAGES
from koos_kit.privacy.sealing import PersonalData
from koos_kit.tracing import handling

log = get_logger("koos.consumer")

__all__ = ["TRANSIENT_ERRORS", "Delivery", "Dispatcher", "Subscription", "Waiting", "bind"]

TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (
    RetryLater, ConnectionFailure, KafkaConnectionError, KafkaTimeoutError,
)


@dataclass(frozen=True)
class _Poison:
    """A record that is not a Koos message of a known type and shape (or, without a reason, one of a type
    nobody here handles on an event topic: skipped unread)."""

    record: Record
    reason: str
    error_type: str


class _Stalled(Exception):
    """A dependency failed at a record: its partition stops there for now."""

    def __init__(self, record: Record) -> None:
        super().__init__(record.offset)
        self.record = record


class Dispatcher:
    """Runs handlers at least once, never blocking a partition on a poison record or one that must wait."""

    def __init__(self, subscription: Subscription, *, service: str, attempts: int = 3, backoff_seconds: float = 0.5,
                 retry: RetryPolicy | None = None, group: str = "", personal: PersonalData | None = None) -> None:
        self.subscription = subscription
        self._service = service
        self._group = group
        self._attempts = attempts
        self._backoff = backoff_seconds
        self._retry = retry or RetryPolicy()
        self._handled = frozenset(subscription.handlers) | frozenset(subscription.batch_handlers)
        self._personal = personal

    async def dispatch_batch(self, records: Sequence[Record]) -> BatchReport:
        """Handle a consumed batch; partitions are independent and handled side by side."""
        partitions: dict[tuple[str, int], list[Record]] = {}
        for record in records:
            partitions.setdefault(record.position, []).append(record)
        reports = await asyncio.gather(*(self._partition(rs) for rs in partitions.values()))
        report = BatchReport()
        for part in reports:
            report.merge(part)
        return report

    async def dispatch(self, record: Record) -> BatchReport:
        """Handle one record (a batch of one)."""
        return await self.dispatch_batch([record])

    async def _partition(self, records: list[Record]) -> BatchReport:
        report = BatchReport()
        report.started(records[0])
        if self._personal is not None:
            await self._personal.prepare(records)
        try:
            for segment in self._segments(records, report):
                await self._segment(segment, report)
        except _Stalled as stalled:
            report.stall(stalled.record)
        return report

    def _segments(self, records: list[Record], report: BatchReport) -> list[list[Delivery | _Poison]]:
        """Runs of consecutive batch-handled deliveries; everything else alone, in order."""
        segments: list[list[Delivery | _Poison]] = []
        for record in records:
            item = self._decoded(record)
            batched = isinstance(item, Delivery) and item.envelope.type in self.subscription.batch_handlers
            previous = segments[-1][0] if segments else None
            same_run = (batched and isinstance(previous, Delivery) and isinstance(item, Delivery)
                        and previous.envelope.type in self.subscription.batch_handlers
                        and self.subscription.batch_handlers[previous.envelope.type]
                        is self.subscription.batch_handlers[item.envelope.type])
            if same_run:
                segments[-1].append(item)
            else:
                segments.append([item])
        return segments

    def _decoded(self, record: Record) -> Delivery | _Poison:
        type_name = record.header("ce_type")
        if not self.subscription.dead_letter_unhandled and type_name not in self._handled:
            return _Poison(record, "", "")
        if self._group and not meant_for(record, self._group):
            return _Poison(record, "", "")
        try:
            envelope = from_record(record.value, record.headers, key=record.key, timestamp_ms=record.timestamp_ms)
            if self._personal is not None:
                envelope = self._personal.open(envelope)
            return Delivery(parse(envelope), envelope, record)
        except (MalformedRecord, UnknownMessageType, InvalidMessage) as error:
            return _Poison(record, str(error), type(error).__name__)
        except Exception as error:  # whatever a record holds, it must not stall its partition for ever
            return _Poison(record, f"cannot be decoded: {type(error).__name__}: {error}"[:500], type(error).__name__)

    async def _segment(self, segment: list[Delivery | _Poison], report: BatchReport) -> None:
        head = segment[0]
        if isinstance(head, _Poison) and (not head.reason or not self.subscription.dead_letter_poison):
            self._count(head.record, head.record.header("ce_type") or "unknown", "ignored")
            report.complete(head.record)
        elif isinstance(head, _Poison):
            self._dead_letter(head.record, head.reason, head.error_type, report)
        elif isinstance(head, Delivery) and head.envelope.type in self.subscription.batch_handlers:
            await self._batch([d for d in segment if isinstance(d, Delivery)], report)
        elif isinstance(head, Delivery):
            await self._single(head, report)

    async def _single(self, delivery: Delivery, report: BatchReport) -> None:
        handler = self.subscription.handlers.get(delivery.envelope.type)
        if handler is None:
            if self.subscription.dead_letter_unhandled:
                self._dead_letter(delivery.record, f"no handler for {delivery.envelope.type}",
                                  "UnhandledMessageType", report)
            else:
                self._count(delivery.record, delivery.envelope.type, "ignored")
                report.complete(delivery.record)
            return
        with correlation(delivery.envelope.correlationid, event_id=delivery.envelope.id,
                         event_type=delivery.envelope.type), self._traced([delivery]):
            await self._with_retries(delivery.record, lambda: self._call(handler, delivery), report)

    async def _call(self, handler: Handler, delivery: Delivery) -> list[Waiting]:
        started = time.perf_counter()
        try:
            await handler(delivery.message, delivery.envelope)
        except NotYet as wait:
            return [Waiting(delivery, str(wait) or type(wait).__name__)]
        finally:
            HANDLER_SECONDS.labels(self._service, delivery.envelope.type).observe(time.perf_counter() - started)
        return []

    async def _batch(self, deliveries: list[Delivery], report: BatchReport) -> None:
        handler = self.subscription.batch_handlers[deliveries[0].envelope.type]
        try:
            with self._traced(deliveries):
                waiting = await self._timed_batch(handler, deliveries)
        except TRANSIENT_ERRORS as error:
            await self._pause(deliveries[0].record, error)
            raise _Stalled(deliveries[0].record) from error
        except Exception as error:
            log.warning("batch handler failed; handling its records one by one", error_type=type(error).__name__,
                        records=len(deliveries))
            for delivery in deliveries:
                await self._with_retries(delivery.record, _alone(handler, delivery, self._timed_batch), report)
            return
        self._settle(deliveries, waiting, report)

    async def _timed_batch(self, handler: BatchHandler, deliveries: list[Delivery]) -> list[Waiting]:
        started = time.perf_counter()
        try:
            return list(await handler(deliveries))
        finally:
            HANDLER_SECONDS.labels(self._service, deliveries[0].envelope.type).observe(time.perf_counter() - started)

    async def _with_retries(self, record: Record, attempt: "Attempt",
                            report: BatchReport) -> None:
        for number in range(1, self._attempts + 1):
            try:
                waiting = await attempt()
            except TRANSIENT_ERRORS as error:
                await self._pause(record, error)
                raise _Stalled(record) from error
            except Exception as error:
                if number == self._attempts:
                    log.exception("handler failed; dead-lettering", attempts=number, error_type=type(error).__name__)
                    self._dead_letter(record, f"handler failed {number} times: {type(error).__name__}: {error}",
                                      type(error).__name__, report)
                    return
                log.warning("handler failed; retrying", attempt=number, error_type=type(error).__name__)
                self._count(record, record.header("ce_type") or "unknown", "retried")
                await asyncio.sleep(self._backoff * number)
                continue
            self._settle_one(record, waiting, report)
            return

    def _traced(self, deliveries: Sequence[Delivery]) -> Any:
        """The handler's span, in the trace of the (first) record's producer."""
        head = deliveries[0]
        return handling(self._service, head.envelope.type,
                        [(d.envelope.correlationid, d.record.headers) for d in deliveries], head.record.topic)

    def _settle(self, deliveries: list[Delivery], waiting: Sequence[Waiting], report: BatchReport) -> None:
        reasons = {id(w.delivery): w.reason for w in waiting}
        for delivery in deliveries:
            reason = reasons.get(id(delivery))
            self._settle_one(delivery.record, [] if reason is None else [Waiting(delivery, reason)], report)

    def _settle_one(self, record: Record, waiting: Sequence[Waiting], report: BatchReport) -> None:
        type_name = record.header("ce_type") or "unknown"
        if not waiting:
            self._count(record, type_name, "handled")
            report.complete(record)
        elif attempt_of(record) >= self._retry.max_attempts:
            self._dead_letter(record, f"still waiting after {attempt_of(record)} retries: {waiting[0].reason}",
                              "WaitedTooLong", report)
        else:
            self._count(record, type_name, "delayed")
            report.retry(record, waiting[0].reason)

    async def _pause(self, record: Record, error: BaseException) -> None:
        log.warning("dependency unavailable; the partition resumes at this record", error_type=type(error).__name__,
                    topic=record.topic, partition=record.partition, offset=record.offset)
        self._count(record, record.header("ce_type") or "unknown", "redelivered")

    def _dead_letter(self, record: Record, reason: str, error_type: str, report: BatchReport) -> None:
        log.warning("record dead-lettered", topic=record.topic, partition=record.partition,
                    offset=record.offset, error_type=error_type)
        report.dead_letter(record, reason, error_type)
        self._count(record, record.header("ce_type") or "unknown", "dead_lettered")

    def _count(self, record: Record, type_name: str, outcome: str) -> None:
        MESSAGES.labels(self._service, record.topic, type_name, outcome).inc()


Attempt = Callable[[], Awaitable[list[Waiting]]]


def _alone(handler: BatchHandler, delivery: Delivery,
           run: Callable[[BatchHandler, list[Delivery]], Awaitable[list[Waiting]]]) -> Attempt:
    """An attempt that gives one delivery to its batch handler on its own."""

    def attempt() -> Awaitable[list[Waiting]]:
        return run(handler, [delivery])

    return attempt
