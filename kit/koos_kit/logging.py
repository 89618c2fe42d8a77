"""Structured logs: JSON lines (or a console view on a terminal), with the correlation id on every line."""

import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import structlog

from koos_kit.config import ServiceSettings
from koos_kit.tracing import add_trace_ids

_QUIET_LIBRARIES = ("aiokafka", "uvicorn.access", "pymongo", "faststream.access")


def configure_logging(settings: ServiceSettings) -> None:
    """Route structlog and the standard library (aiokafka, uvicorn, faststream) through one renderer."""
    shared = _shared_processors(settings.service_name)
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(foreign_pre_chain=shared, processors=_renderers(settings.log_format))
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(settings.log_level.upper())
    for name in _QUIET_LIBRARIES:
        logging.getLogger(name).setLevel(logging.WARNING)
    for name in ("uvicorn", "uvicorn.error"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True


def _shared_processors(service: str) -> list[Any]:
    return [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        _add_service(service),
        add_trace_ids,
        structlog.processors.format_exc_info,
    ]


def _add_service(service: str) -> Any:
    def add(_: Any, __: str, event: dict[str, Any]) -> dict[str, Any]:
        event.setdefault("service", service)
        return event

    return add


def _renderers(log_format: str) -> list[Any]:
    use_console = log_format == "console" or (log_format == "auto" and sys.stderr.isatty())
    renderer: Any = structlog.dev.ConsoleRenderer() if use_console else structlog.processors.JSONRenderer()
    return [structlog.stdlib.ProcessorFormatter.remove_processors_meta, renderer]


@contextmanager
def correlation(correlation_id: str, **more: str) -> Iterator[None]:
    """Bind the correlation id (and more context) to every log line inside the block."""
    with structlog.contextvars.bound_contextvars(correlation_id=correlation_id, **more):
        yield


def current_correlation_id() -> str | None:
    """The correlation id bound to the current task, if any."""
    value = structlog.contextvars.get_contextvars().get("correlation_id")
    return str(value) if value else None


def get_logger(name: str) -> Any:
    """A structured logger."""
    return structlog.get_logger(name)
