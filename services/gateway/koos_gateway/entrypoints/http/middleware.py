"""Per request: the correlation id (bound to every log line, echoed in the response), metrics and the request's
span (when tracing is on)."""

import re
import time
from typing import Any
from uuid import uuid4

from prometheus_client import Counter, Histogram
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from koos_kit.logging import correlation, get_logger
from koos_kit.tracing import server_span

HEADER = "X-Correlation-ID"
_ACCEPTABLE = re.compile(r"^[A-Za-z0-9._:@/+=-]{1,128}$")

REQUESTS = Counter("koos_http_requests_total", "HTTP requests by route and status.",
                   ["service", "method", "route", "status"])
LATENCY = Histogram("koos_http_request_seconds", "Time to answer an HTTP request.", ["service", "method", "route"])

log = get_logger("koos.gateway.http")


class RequestContext:
    """Pure ASGI middleware, so that the bound correlation id reaches the endpoint's task."""

    def __init__(self, app: ASGIApp, service: str) -> None:
        self.app = app
        self.service = service
        self._children: dict[tuple[str, str, int], tuple[Any, Any]] = {}

    def _metrics(self, method: str, route: str, status: int) -> tuple[Any, Any]:
        """The metric children of a route, looked up once (labels() is costly on every request)."""
        key = (method, route, status)
        if key not in self._children:
            self._children[key] = (REQUESTS.labels(self.service, method, route, str(status)),
                                   LATENCY.labels(self.service, method, route))
        return self._children[key]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        correlation_id = correlation_id_in(scope)
        response = _Response(send, correlation_id)
        started = time.perf_counter()
        with correlation(correlation_id), server_span(scope["method"], scope.get("headers", ())) as span:
            try:
                await self.app(scope, receive, response.send)
            finally:
                route = self._observe(scope, response.status, time.perf_counter() - started)
                if span is not None:
                    span.update_name(f"{scope['method']} {route}")
                    span.set_attributes({"http.route": route, "http.response.status_code": response.status,
                                         "koos.correlation_id": correlation_id})

    def _observe(self, scope: Scope, status: int, seconds: float) -> str:
        route = getattr(scope.get("route"), "path", "unmatched")
        requests, latency = self._metrics(scope["method"], route, status)
        requests.inc()
        latency.observe(seconds)
        log.info("request answered", method=scope["method"], route=route, status=status,
                 duration_ms=round(seconds * 1000, 1))
        return str(route)


class _Response:
    """Passes the response on with the correlation header added, remembering its status."""

    def __init__(self, send: Send, correlation_id: str) -> None:
        self._send = send
        self._correlation_id = correlation_id
        self.status = 500

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.status = message["status"]
            MutableHeaders(scope=message).append(HEADER, self._correlation_id)
        await self._send(message)


_RAW_HEADER = HEADER.lower().encode()


def correlation_id_in(scope: Scope) -> str:
    """The caller's correlation id from the raw request headers (no full header parse), else a new one."""
    for name, value in scope.get("headers", ()):
        if name == _RAW_HEADER:
            given = value.decode("latin-1").strip()
            return given if _ACCEPTABLE.match(given) else str(uuid4())
    return str(uuid4())
