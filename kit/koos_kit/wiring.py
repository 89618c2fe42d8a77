"""The infrastructure every service wires the same way: broker, database, outbox relay, consumers, loops."""

import asyncio
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import replace
from typing import Any

from pymongo.asynchronous.collection import AsyncCollection

from koos_contracts.topics import PRIVACY_KEYS
from koos_kit.clock import Clock, SystemClock
from koos_kit.config import ServiceSettings
from koos_kit.events import EventFactory
from koos_kit.logging import configure_logging, get_logger
from koos_kit.messaging.broker import make_broker, make_key_consumer, make_producer, make_transactional_producer
from koos_kit.messaging.dispatcher import Dispatcher, Subscription
from koos_kit.messaging.publisher import KafkaPublisher
from koos_kit.messaging.retry import RetryPolicy
from koos_kit.messaging.settlement import KafkaSettlement
from koos_kit.messaging.subscriber import ConsumerOptions, subscribe
from koos_kit.mongo import connect, database, ping
from koos_kit.outbox import OutboxRelay
from koos_kit.ports import Replies
from koos_kit.privacy.feed import KeyFeed
from koos_kit.privacy.keyring import KeyRing, KeyWrapper
from koos_kit.privacy.requests import PersonalDataHolder, PrivacyPorts, requests_subscription
from koos_kit.privacy.sealing import PersonalData
from koos_kit.retention import Purge, RetentionJob, RetentionPolicy
from koos_kit.runtime import ServiceRuntime
from koos_kit.sampling import MetricsSampler
from koos_kit.secrets import UnsafeSettings
from koos_kit.tracing import configure_tracing, shutdown_tracing

log = get_logger("koos.wiring")


def refuse_unsafe(settings: ServiceSettings) -> None:
    """Stop here, naming each setting, when a service outside development mode lacks a safe secret."""
    if settings.in_development:
        log.info("development mode: development defaults are allowed")
        return
    problems = settings.unsafe()
    if problems:
        log.error("refusing to start: unsafe settings", problems=problems)
        raise UnsafeSettings(problems)


def personal_data(settings: ServiceSettings) -> PersonalData:
    """The service's key ring, fed from the keys topic (read whole at start, then followed)."""
    ring = KeyRing()
    feed = KeyFeed(lambda: make_key_consumer(settings), settings.topic_prefix + PRIVACY_KEYS.name, ring,
                   KeyWrapper(settings.key_encryption_key))
    return PersonalData(ring, feed)


class Wiring:
    """A service's shared infrastructure, built once at start-up."""

    def __init__(self, settings: ServiceSettings, clock: Clock | None = None) -> None:
        configure_logging(settings)
        refuse_unsafe(settings)
        configure_tracing(settings)
        self.settings = settings
        self.clock: Clock = clock or SystemClock()
        self.broker = make_broker(settings)
        self.client = connect(settings)
        self.db = database(self.client, settings)
        self.personal = personal_data(settings) if settings.handles_personal_data else None
        self.publisher = KafkaPublisher(lambda: make_producer(settings), settings.topic_prefix,
                                        seal=self.personal.seal if self.personal else None)
        self.factory = EventFactory(settings.source)
        self.runtime = ServiceRuntime(settings, self.broker)
        self.runtime.readiness = {"kafka": self.publisher.ready, "mongo": lambda: ping(self.client)}
        self.runtime.on_startup.insert(0, self.publisher.start)
        if self.personal is not None and self.personal.feed is not None:
            self.runtime.on_startup.insert(1, self.personal.feed.start)
            self.runtime.background.append(self.personal.feed.run)
            self.runtime.on_shutdown.append(self.personal.feed.stop)
        self.retry = RetryPolicy(settings.retry_delay_seconds, settings.retry_max_attempts)
        self.settlement = KafkaSettlement(lambda: make_transactional_producer(settings), settings.consumer_group,
                                          self.retry)
        self.runtime.on_shutdown.append(self.settlement.close)
        self.runtime.on_shutdown.append(self.publisher.stop)
        self.runtime.on_shutdown.append(self._close_client)
        self.runtime.on_shutdown.append(shutdown_tracing)
        self.sampler = MetricsSampler(settings.service_name, self.broker, settings.kafka, self.clock)
        self.every(settings.metrics_sample_seconds, self.sampler.sample_once, "metrics-sampler")
        self.runtime.on_shutdown.append(self.sampler.close)

    def relay(self, collections: Sequence[AsyncCollection[Any]]) -> OutboxRelay:
        """An outbox relay over some collections, draining in the background."""
        relay = OutboxRelay(collections, self.publisher, self.clock, service=self.settings.service_name,
                            poll_seconds=self.settings.outbox_poll_seconds,
                            grace_seconds=self.settings.outbox_grace_seconds)
        self.runtime.background.append(relay.run)
        self.sampler.watch_outbox(collections)
        return relay

    def consume(self, subscription: Subscription, title: str) -> Dispatcher:
        """Consume topics (and their retry twins) in the service's consumer group; poison goes to the DLQ."""
        settings = self.settings
        prefixed = replace(subscription, topics=tuple(settings.topic_prefix + t for t in subscription.topics))
        dispatcher = Dispatcher(prefixed, service=settings.service_name, attempts=settings.handler_attempts,
                                backoff_seconds=settings.retry_backoff_seconds, retry=self.retry,
                                group=settings.consumer_group, personal=self.personal)
        options = ConsumerOptions(settings.consumer_group, batch_records=settings.consumer_batch_records,
                                  batch_timeout_ms=settings.consumer_batch_timeout_ms,
                                  stall_pause_seconds=2 * settings.retry_backoff_seconds,
                                  max_retry_wait_seconds=settings.retry_delay_seconds + 1)
        subscribe(self.broker, dispatcher, self.settlement, options, title=title)
        self.sampler.watch_dead_letters(f"{topic}.dlq" for topic in prefixed.topics)
        return dispatcher

    def answer_privacy_requests(self, holder: PersonalDataHolder, replies: Replies) -> None:
        """Answer export and erasure requests with what this service holds (`koos_kit.privacy.requests`)."""
        ports = PrivacyPorts(self.settings.service_name, holder, self.publisher, replies, self.factory, self.clock)
        self.consume(requests_subscription(ports), title=f"{self.settings.service_name}-privacy")
    def retention(self, purges: Sequence[Purge]) -> RetentionJob:
        """Purge personal data past its period every `KOOS_RETENTION_INTERVAL_SECONDS`."""
        policy = RetentionPolicy(self.settings.retention_overrides)
        job = RetentionJob(self.settings.service_name, policy, self.clock, purges)
        self.every(self.settings.retention_interval_seconds, job.run_once, "retention")
        return job

    def on_startup(self, hook: Callable[[], Coroutine[Any, Any, Any]]) -> None:
        """Run a hook before consuming starts (indexes, for example)."""
        self.runtime.on_startup.append(hook)

    def every(self, seconds: float, job: Callable[[], Coroutine[Any, Any, Any]], name: str) -> None:
        """Run a job again and again in the background, surviving its failures."""

        async def loop() -> None:
            while True:
                try:
                    await job()
                except Exception as error:
                    log.warning("background job failed", job=name, error_type=type(error).__name__)
                await asyncio.sleep(seconds)

        self.runtime.background.append(loop)

    def run(self, app: Any = None) -> None:
        """Serve until stopped (the service's own ASGI app, or one that hosts the runtime's lifespan)."""
        self.runtime.run(app)

    async def _close_client(self) -> None:
        await self.client.close()
