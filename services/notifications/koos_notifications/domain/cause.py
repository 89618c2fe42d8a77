"""The event a notification follows from."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Cause:
    """The event a notification follows from, for correlation and causation of what it emits."""

    event_id: str
    correlation_id: str
    traceparent: str = ""
    """The W3C trace context of the handling of the event (when tracing is on), so that its mail joins the trace."""
