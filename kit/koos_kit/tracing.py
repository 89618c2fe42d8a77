"""OpenTelemetry traces along the whole path: an HTTP request, the Kafka records it causes (W3C `traceparent`
header), the handlers that consume them, their MongoDB commands, and the mails sent later.

Off unless `OTEL_EXPORTER_OTLP_ENDPOINT` is set: then nothing is created, propagated or looked up (every entry
point checks one flag first). On, spans go over OTLP/HTTP in batches to `<endpoint>/v1/traces`, PyMongo's
commands become spans through its instrumentation, and every log line carries `trace_id` and `span_id`.

A consumed batch is one span, a child of its first record's trace and linked to the others'; an event published
while handling a record of that batch continues the record's own trace (found by the event's correlation id),
so each sign-up stays one trace through a rush.
"""

from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.trace import Link, Span, SpanKind

__all__ = ["TRACEPARENT", "SpanKind", "configure_tracing", "disable", "enable", "handling", "server_span", "span",
           "with_trace"]
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

from koos_kit.config import ServiceSettings

Headers = list[tuple[str, bytes]]
TRACEPARENT = "traceparent"
_PROPAGATOR = TraceContextTextMapPropagator()
_BY_CORRELATION: ContextVar[Mapping[str, otel_context.Context] | None] = ContextVar("koos_traces", default=None)


class _State:
    enabled = False
    tracer: trace.Tracer = trace.NoOpTracer()
    provider: Any = None


_state = _State()


def configure_tracing(settings: ServiceSettings) -> None:
    """Export spans over OTLP/HTTP when an endpoint is configured; leave everything off otherwise."""
    endpoint = settings.otel_exporter_otlp_endpoint
    if not endpoint or _state.enabled:
        return
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.instrumentation.pymongo import PymongoInstrumentor
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor
    from opentelemetry.sdk.trace.sampling import ParentBased

    resource = Resource.create({"service.name": f"koos-{settings.service_name}", "service.namespace": "koos"})
    provider = TracerProvider(resource=resource, sampler=ParentBased(root=work_only_sampler()))
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(endpoint=f"{endpoint.rstrip('/')}/v1/traces")))
    PymongoInstrumentor().instrument(tracer_provider=provider)
    enable(provider)


def work_only_sampler() -> Any:
    """A trace starts with a request, a consumed record or a mail, never with a lone client call: the database
    polls of background loops (the outbox relay, the due queue) would each be a trace of their own."""
    from opentelemetry.sdk.trace.sampling import Decision, Sampler, SamplingResult

    class WorkOnly(Sampler):
        def should_sample(self, parent_context: Any, trace_id: int, name: str, kind: SpanKind | None = None,
                          attributes: Any = None, links: Any = None, trace_state: Any = None) -> SamplingResult:
            if kind == SpanKind.CLIENT:
                return SamplingResult(Decision.DROP)
            return SamplingResult(Decision.RECORD_AND_SAMPLE, attributes)

        def get_description(self) -> str:
            return "WorkOnly"

    return WorkOnly()


def enable(provider: Any) -> None:
    """Trace with this SDK tracer provider (what `configure_tracing` does; tests give one with an in-memory
    exporter)."""
    _state.provider = provider
    _state.tracer = provider.get_tracer("koos")
    _state.enabled = True


def disable() -> None:
    """Back to no tracing at all."""
    _state.provider, _state.tracer, _state.enabled = None, trace.NoOpTracer(), False


async def shutdown_tracing() -> None:
    """Send what is still buffered (at service stop)."""
    if _state.provider is not None:
        _state.provider.force_flush(5000)


def enabled() -> bool:
    return _state.enabled


# --- Kafka -------------------------------------------------------------------------------------------------------

def with_trace(headers: Headers, correlation_id: str) -> Headers:
    """The record's headers with the trace it continues: the consumed record's of the same correlation, else the
    current span's."""
    if not _state.enabled:
        return headers
    carrier: dict[str, str] = {}
    _PROPAGATOR.inject(carrier, context=_of(correlation_id))
    return [*[(n, v) for n, v in headers if n not in carrier], *((n, v.encode()) for n, v in carrier.items())]


def traceparent_of(correlation_id: str) -> str:
    """The W3C traceparent to continue later (a mail sent from a queue), or "" when tracing is off."""
    if not _state.enabled:
        return ""
    carrier: dict[str, str] = {}
    _PROPAGATOR.inject(carrier, context=_of(correlation_id))
    return carrier.get(TRACEPARENT, "")


def _of(correlation_id: str) -> otel_context.Context | None:
    """The context of the consumed record of this correlation, if a batch handler is at work on it."""
    own = _BY_CORRELATION.get()
    return own.get(correlation_id) if own else None


def _from_headers(headers: Iterable[tuple[str, bytes]]) -> otel_context.Context:
    carrier = {name: value.decode(errors="replace") for name, value in headers if name in _PROPAGATOR.fields}
    return _PROPAGATOR.extract(carrier)


@contextmanager
def handling(service: str, type_name: str, records: Sequence[tuple[str, Iterable[tuple[str, bytes]]]],
             topic: str) -> Iterator[None]:
    """A consumer span around a handler call for records given as (correlation id, headers)."""
    if not _state.enabled:
        yield
        return
    contexts = [(correlation_id, _from_headers(headers)) for correlation_id, headers in records]
    first_correlation, parent = contexts[0]
    links = [Link(span.get_span_context()) for _, ctx in contexts[1:]
             if (span := trace.get_current_span(ctx)).get_span_context().is_valid]
    attributes: dict[str, str | int] = {"messaging.system": "kafka", "messaging.operation.type": "process",
                  "messaging.destination.name": topic, "messaging.batch.message_count": len(records),
                  "koos.service": service, "koos.message_type": type_name}
    with _state.tracer.start_as_current_span(f"process {type_name}", context=parent, kind=SpanKind.CONSUMER,
                                             links=links, attributes=attributes):
        own = {c: ctx for c, ctx in contexts[1:] if c != first_correlation}
        token = _BY_CORRELATION.set(own)
        try:
            yield
        finally:
            _BY_CORRELATION.reset(token)


# --- spans of our own --------------------------------------------------------------------------------------------

@contextmanager
def span(name: str, *, kind: SpanKind = SpanKind.INTERNAL, traceparent: str = "",
         attributes: Mapping[str, Any] | None = None) -> Iterator[Span | None]:
    """A span of the current trace (or of the trace `traceparent` names); None when tracing is off."""
    if not _state.enabled:
        yield None
        return
    parent = _PROPAGATOR.extract({TRACEPARENT: traceparent}) if traceparent else None
    with _state.tracer.start_as_current_span(name, context=parent, kind=kind, attributes=attributes) as current:
        yield current


def server_span(method: str, raw_headers: Iterable[tuple[bytes, bytes]]) -> Any:
    """The span of one HTTP request, continuing the caller's trace if it sent a traceparent."""
    if not _state.enabled:
        return _NO_SPAN
    carrier = {name.decode("latin-1"): value.decode("latin-1") for name, value in raw_headers
               if name in (b"traceparent", b"tracestate")}
    return _state.tracer.start_as_current_span(method, context=_PROPAGATOR.extract(carrier), kind=SpanKind.SERVER,
                                               attributes={"http.request.method": method})


class _NoSpan:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *_: object) -> None:
        return None


_NO_SPAN = _NoSpan()


# --- logs --------------------------------------------------------------------------------------------------------

def add_trace_ids(_: Any, __: str, event: dict[str, Any]) -> dict[str, Any]:
    """A structlog processor: the current trace and span ids on every line written inside a span."""
    if _state.enabled:
        context = trace.get_current_span().get_span_context()
        if context.is_valid:
            event.setdefault("trace_id", format(context.trace_id, "032x"))
            event.setdefault("span_id", format(context.span_id, "016x"))
    return event
