"""Guards around every request, as pure ASGI middleware: a body too large is refused before anything reads
it, and every answer carries the headers that keep browsers and caches from leaking it."""

from dataclasses import dataclass
from urllib.parse import parse_qs

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from koos_gateway.entrypoints.http.errors import error_response

PUBLIC_PREFIX = "/v1/public/"


@dataclass(frozen=True)
class BodyLimits:
    """How large a request body may be: small on the public routes (a sign-up is a few hundred bytes)."""

    public_bytes: int = 4 * 1024
    other_bytes: int = 1024 * 1024

    def for_path(self, path: str) -> int:
        return self.public_bytes if path.startswith(PUBLIC_PREFIX) else self.other_bytes


class BodyLimit:
    """413 for a body over the route's limit, judged by its Content-Length before the app runs; a chunked body
    (no length given) is read up to the limit here and refused as soon as it passes it."""

    def __init__(self, app: ASGIApp, limits: BodyLimits) -> None:
        self.app = app
        self.limits = limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limits.for_path(scope["path"])
        headers = Headers(scope=scope)
        length = headers.get("content-length")
        if length is not None:
            if not length.isdigit() or int(length) > limit:
                await _too_large(limit, scope, receive, send)
                return
            await self.app(scope, receive, send)
        elif "transfer-encoding" in headers:
            await self._chunked(limit, scope, receive, send)
        else:
            await self.app(scope, receive, send)

    async def _chunked(self, limit: int, scope: Scope, receive: Receive, send: Send) -> None:
        received: list[Message] = []
        size, more = 0, True
        while more:
            message = await receive()
            received.append(message)
            if message["type"] != "http.request":
                break
            size += len(message.get("body", b""))
            if size > limit:
                await _too_large(limit, scope, receive, send)
                return
            more = message.get("more_body", False)

        async def replay() -> Message:
            return received.pop(0) if received else await receive()

        await self.app(scope, replay, send)


async def _too_large(limit: int, scope: Scope, receive: Receive, send: Send) -> None:
    response = error_response(413, "payload_too_large", f"the request body is larger than the {limit} bytes "
                                                        f"this route takes", headers={"Connection": "close"})
    await response(scope, receive, send)


class SecurityHeaders:
    """`nosniff` and `no-referrer` on every answer (mailed links carry a token in the address); `no-store`
    on every answer to a request with credentials, and on any answer that does not say how to cache it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        personal = _has_credentials(scope)

        async def guarded(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers["X-Content-Type-Options"] = "nosniff"
                headers["Referrer-Policy"] = "no-referrer"
                if personal or "cache-control" not in headers:
                    headers["Cache-Control"] = "no-store"
            await send(message)

        await self.app(scope, receive, guarded)


def _has_credentials(scope: Scope) -> bool:
    headers = Headers(scope=scope)
    if "authorization" in headers or "x-api-key" in headers:
        return True
    return "token" in parse_qs(scope.get("query_string", b"").decode(errors="replace"))
