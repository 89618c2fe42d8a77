"""Runs a service: its lifecycle (topics, start-up hooks, the broker, background loops), /healthz, /readyz
and /metrics, served by uvicorn on uvloop. Kafka-only services get a FastStream ASGI app; the gateway hosts
the same lifecycle and routes in its FastAPI app."""

import asyncio
import json
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from faststream.asgi import AsgiFastStream, AsgiResponse, get
from faststream.kafka import KafkaBroker
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from koos_kit.config import ServiceSettings
from koos_kit.logging import get_logger
from koos_kit.messaging.topics import ensure_topics

Check = Callable[[], Awaitable[bool]]
Hook = Callable[[], Coroutine[Any, Any, Any]]

log = get_logger("koos.runtime")


@dataclass
class ServiceRuntime:
    """What a service runs besides its subscribers, and how its health is judged."""

    settings: ServiceSettings
    broker: KafkaBroker
    readiness: dict[str, Check] = field(default_factory=dict)
    on_startup: list[Hook] = field(default_factory=list)
    background: list[Hook] = field(default_factory=list)
    on_shutdown: list[Hook] = field(default_factory=list)
    _tasks: list["asyncio.Task[Any]"] = field(default_factory=list)
    starting: str = ""
    """The start-up step under way ("" once started): what the start-up watchdog names while it lasts."""
    watchdog_seconds: float = 30.0
    _watchdog: "asyncio.Task[Any] | None" = None

    def app(self) -> AsgiFastStream:
        """The ASGI app of a Kafka-only service: the broker's lifespan plus the operator endpoints."""
        return AsgiFastStream(
            self.broker,
            asgi_routes=[("/healthz", _healthz), ("/readyz", self._readyz_route()), ("/metrics", _metrics)],
            on_startup=[self.prepare],
            after_startup=[self.start_background],
            on_shutdown=[self._stop_under_faststream],
            logger=logging.getLogger(f"koos.{self.settings.service_name}.app"),
        )

    @asynccontextmanager
    async def lifespan(self, _: object = None) -> AsyncIterator[None]:
        """The same lifecycle for an app that is not FastStream's (the gateway's FastAPI app)."""
        try:
            await self.prepare()
            await self.broker.start()
        except BaseException:
            if self._watchdog is not None:
                self._watchdog.cancel()
            raise
        await self.start_background()
        try:
            yield
        finally:
            await self.stop_background(stop_broker=True)

    def run(self, app: Any = None, **uvicorn_options: Any) -> None:
        """Serve until SIGTERM or Ctrl-C, then shut down gracefully."""
        config = uvicorn.Config(app or self.app(), host=self.settings.http_host, port=self.settings.http_port,
                                log_config=None, lifespan="on", timeout_graceful_shutdown=10, loop="uvloop",
                                http="httptools", **uvicorn_options)
        uvicorn.Server(config).run()

    async def check(self) -> dict[str, bool]:
        """Each readiness check's verdict."""
        results = await asyncio.gather(*(check() for check in self.readiness.values()))
        return dict(zip(self.readiness, results, strict=True))

    async def prepare(self) -> None:
        """Topics first, then the start-up hooks (indexes, caches); the broker's consumers start after."""
        self._watch_start_up()
        self.starting = "creating topics"
        created = await ensure_topics(self.settings.kafka, self.settings.topic_prefix)
        if created:
            log.info("topics created", topics=created)
        for hook in self.on_startup:
            self.starting = f"start-up hook {getattr(hook, '__qualname__', repr(hook))}"
            await hook()
        self.starting = "consumers joining their groups"

    async def start_background(self) -> None:
        """Start the background loops."""
        self.starting = ""
        if self._watchdog is not None:
            self._watchdog.cancel()
        self._tasks = [asyncio.create_task(loop()) for loop in self.background]
        log.info("service started", port=self.settings.http_port)

    def _watch_start_up(self) -> None:
        """Log, every `watchdog_seconds` while start-up lasts, the step it is on: a start that hangs says where."""
        every_seconds = self.watchdog_seconds

        async def watch() -> None:
            waited = 0.0
            while True:
                await asyncio.sleep(every_seconds)
                waited += every_seconds
                if not self.starting:
                    return
                log.warning("start-up still under way", step=self.starting, waited_seconds=waited)

        self._watchdog = asyncio.create_task(watch())

    async def stop_background(self, stop_broker: bool = False) -> None:
        """Stop the loops, then (for a hosted lifecycle) the broker, then the shutdown hooks."""
        if self._watchdog is not None:
            self._watchdog.cancel()
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if stop_broker:
            await self.broker.stop()
        for hook in self.on_shutdown:
            await hook()
        log.info("service stopped")

    async def _stop_under_faststream(self) -> None:
        await self.stop_background()

    def _readyz_route(self) -> Any:
        @get
        async def readyz(scope: Any) -> AsgiResponse:
            verdicts = await self.check()
            status = 200 if all(verdicts.values()) else 503
            return _json({"ready": status == 200, "checks": verdicts}, status)

        return readyz


@get
async def _healthz(scope: Any) -> AsgiResponse:
    return _json({"alive": True}, 200)


@get
async def _metrics(scope: Any) -> AsgiResponse:
    return AsgiResponse(generate_latest(), 200, headers={"content-type": CONTENT_TYPE_LATEST})


def _json(body: dict[str, Any], status: int) -> AsgiResponse:
    return AsgiResponse(json.dumps(body).encode(), status, headers={"content-type": "application/json"})
