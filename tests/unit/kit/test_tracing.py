"""Traces through Kafka: a record carries the trace it continues, the handler's span joins that trace, and a
batch of several sign-ups keeps each sign-up's own trace for what it publishes. Off, nothing is added."""

import asyncio
from collections.abc import Iterator, Sequence
from typing import Any

import pytest
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.sdk.trace.sampling import ParentBased

from koos_contracts import Envelope, wrap
from koos_kit import tracing
from koos_kit.messaging.publisher import KafkaPublisher
from koos_kit.messaging.records import Record
from koos_kit.messaging.subscription import Delivery, Waiting
from tests.unit.kit.test_dispatcher import TOPIC, dispatcher, record_of, registration


class _Producer:
    """Keeps what is sent, acknowledged at once."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, list[tuple[str, bytes]]]] = []

    async def start(self) -> None:
        return None

    async def send(self, topic: str, value: bytes, *, key: bytes, headers: list[tuple[str, bytes]]) -> Any:
        self.sent.append((topic, headers))
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        done.set_result(None)
        return done


@pytest.fixture
def spans() -> Iterator[InMemorySpanExporter]:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    tracing.enable(provider)
    yield exporter
    tracing.disable()


async def _publisher() -> tuple[KafkaPublisher, _Producer]:
    producer = _Producer()
    publisher = KafkaPublisher(lambda: producer)  # type: ignore[arg-type, return-value]
    await publisher.start()
    return publisher, producer


def _traceparent(headers: list[tuple[str, bytes]]) -> str | None:
    return next((v.decode() for n, v in headers if n == tracing.TRACEPARENT), None)


def _traced_record(message: Any, offset: int, parent: str) -> Record:
    record = record_of(message, offset)
    return Record(record.topic, record.partition, record.offset, record.key, record.value,
                  [*record.headers, (tracing.TRACEPARENT, parent.encode())])


async def test_without_tracing_records_carry_no_trace_header() -> None:
    publisher, producer = await _publisher()

    await publisher.publish([wrap(registration(), source="/t", organisation_id="org")])

    assert _traceparent(producer.sent[0][1]) is None


async def test_a_handler_continues_the_trace_of_its_record_and_passes_it_on(spans: InMemorySpanExporter) -> None:
    publisher, producer = await _publisher()
    with tracing.span("POST sign-up") as request:
        assert request is not None
        await publisher.publish([wrap(registration(), source="/t", organisation_id="org")])
    sent = _traceparent(producer.sent[0][1])

    async def handle(message: Any, envelope: Envelope) -> None:
        await publisher.publish([wrap(registration(2), source="/t", organisation_id="org",
                                      correlation_id=envelope.correlationid)])

    await dispatcher(handle).dispatch(_traced_record(registration(), 0, sent or ""))

    trace_id = format(request.get_span_context().trace_id, "032x")
    handled = next(s for s in spans.get_finished_spans() if s.name.startswith("process "))
    assert sent is not None and sent.split("-")[1] == trace_id
    assert handled.context.trace_id == request.get_span_context().trace_id
    assert handled.parent is not None and handled.parent.span_id == request.get_span_context().span_id
    assert handled.attributes is not None and handled.attributes["messaging.destination.name"] == TOPIC
    assert (_traceparent(producer.sent[1][1]) or "").split("-")[1:3] == [trace_id,
                                                                          format(handled.context.span_id, "016x")]


async def test_in_a_batch_each_sign_ups_events_stay_in_that_sign_ups_trace(spans: InMemorySpanExporter) -> None:
    publisher, producer = await _publisher()
    parents = ["00-" + f"{n:032x}" + "-" + f"{n:016x}" + "-01" for n in (1, 2)]
    records = [_traced_record(registration(n), n, parent) for n, parent in zip((1, 2), parents, strict=True)]

    async def decide(deliveries: Sequence[Delivery]) -> Sequence[Waiting]:
        await publisher.publish([wrap(registration(9), source="/t", organisation_id="org",
                                      correlation_id=d.envelope.correlationid) for d in deliveries])
        return []

    await dispatcher(batch=decide).dispatch_batch(records)

    batch = spans.get_finished_spans()[-1]
    assert batch.context.trace_id == 1 and [link.context.trace_id for link in batch.links] == [2]
    first, second = (_traceparent(headers) or "" for _, headers in producer.sent)
    assert first.split("-")[1:3] == [f"{1:032x}", format(batch.context.span_id, "016x")]
    assert second == parents[1]


def test_a_database_call_outside_any_request_or_record_starts_no_trace() -> None:
    exporter = InMemorySpanExporter()
    provider = TracerProvider(sampler=ParentBased(root=tracing.work_only_sampler()))
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    tracing.enable(provider)
    try:
        with tracing.span("find koos_registration.offers", kind=tracing.SpanKind.CLIENT):
            pass
        with tracing.span("POST /v1/editions", kind=tracing.SpanKind.SERVER), \
                tracing.span("insert koos_scheduling.editions", kind=tracing.SpanKind.CLIENT):
            pass
    finally:
        tracing.disable()

    assert [s.name for s in exporter.get_finished_spans()] == ["insert koos_scheduling.editions", "POST /v1/editions"]
