"""The partner bridge on Kafka: every partner's inbound topic by pattern, and the result events out.

Two consumer loops next to the gateway's read models, each in its own consumer group under the
gateway's (`<prefix>koos-gateway-partners`, `<prefix>koos-gateway-partner-results`). Offsets are
committed only after every record of a batch was produced and acknowledged, so a crash forwards a
batch again (registration drops a command id it has applied). A new partner's topic is picked up by
the pattern within METADATA_SECONDS, without a restart.
"""

import asyncio
import re
import time
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord

from koos_contracts.partners import RESULT_SOURCES
from koos_contracts.topics import PARTNER_COMMANDS_PATTERN, SIDELINED_LIMIT_BYTES, organisation_of_partner_topic
from koos_gateway.config import Settings
from koos_gateway.service_layer.partner_bridge import Outgoing, PartnerBridge
from koos_kit.logging import get_logger
from koos_kit.messaging.records import Record
from koos_kit.messaging.security import aiokafka_options
from koos_kit.metrics import MESSAGES

METADATA_SECONDS = 5.0
BATCH_RECORDS = 200
LOOK_INTERVAL = 0.5
"""At most two looks at the topic list a second, however many organisations without a partner go by."""
CLOCK_SKEW = 1.0
Raw = list[ConsumerRecord[Any, Any]]
Route = Callable[[AIOKafkaConsumer, Raw], Awaitable[list[Outgoing]]]
Admit = Callable[[Outgoing], Awaitable[Outgoing]]
log = get_logger("koos.gateway.partners")


class PartnerTopics:
    """Runs the bridge's two loops, each with its consumer and an idempotent producer."""

    def __init__(self, settings: Settings, admit: Admit | None = None) -> None:
        self.settings = settings
        self._admit = admit
        """What a forwarded command goes through on its way in (the person's subject, sealed fields)."""
        self.inbound_group = f"{settings.consumer_group}-partners"
        self.results_group = f"{settings.consumer_group}-partner-results"
        self.bridge = PartnerBridge(settings.topic_prefix, self.inbound_group)
        self.partners = PartnerDirectory(settings.topic_prefix)

    def loops(self) -> list[Callable[[], Coroutine[Any, Any, None]]]:
        """The background jobs to run for the gateway's lifetime."""
        commands = f"^{re.escape(self.settings.topic_prefix)}{PARTNER_COMMANDS_PATTERN}$"
        results = [self.settings.topic_prefix + topic.name for topic in RESULT_SOURCES]

        async def inbound() -> None:
            await self._run(self.inbound_group, {"pattern": commands}, self._commands)

        async def outbound() -> None:
            await self._run(self.results_group, {"topics": results}, self._results)

        return [inbound, outbound]

    async def _commands(self, consumer: AIOKafkaConsumer, raw: Raw) -> list[Outgoing]:
        records = [Record.from_consumer_record(r) for r in raw]
        forwarded = [self.bridge.inbound(record) for record in records]
        if self._admit is not None:
            forwarded = [await self._admit(outgoing) for outgoing in forwarded]
        return [self.bridge.fitted(outgoing, record) for outgoing, record in zip(forwarded, records, strict=True)]

    async def _results(self, consumer: AIOKafkaConsumer, raw: Raw) -> list[Outgoing]:
        records = [Record.from_consumer_record(r) for r in raw]
        organisations = {self.bridge.result_organisation(r) for r in records}
        if organisations - {None} - self.partners.known:
            await self.partners.refresh_unless_newer_than(max(r.timestamp for r in raw) / 1000.0, consumer)
        return [out for r in records if (out := self.bridge.outbound(r, self.partners.known)) is not None]

    async def _run(self, group: str, subscription: dict[str, Any], route: Route) -> None:
        while True:
            consumer = AIOKafkaConsumer(**aiokafka_options(self.settings.kafka), group_id=group, client_id=group,
                                        enable_auto_commit=False, auto_offset_reset="earliest",
                                        metadata_max_age_ms=int(METADATA_SECONDS * 1000))
            producer = AIOKafkaProducer(**aiokafka_options(self.settings.kafka), enable_idempotence=True,
                                        acks="all", client_id=f"{group}-producer",
                                        max_request_size=SIDELINED_LIMIT_BYTES)
            try:
                consumer.subscribe(**subscription)
                await producer.start()
                await consumer.start()
                await self._forward(consumer, producer, route)
            except Exception as error:
                log.warning("partner bridge failed; starting again", group=group, error_type=type(error).__name__)
                await asyncio.sleep(2.0)
            finally:
                await consumer.stop()
                await producer.stop()

    async def _forward(self, consumer: AIOKafkaConsumer, producer: AIOKafkaProducer, route: Route) -> None:
        while True:
            batch = await consumer.getmany(timeout_ms=1000, max_records=BATCH_RECORDS)
            raw = [record for records in batch.values() for record in records]
            if raw:
                await self._produce(producer, await route(consumer, raw))
                await consumer.commit()

    async def _produce(self, producer: AIOKafkaProducer, outgoing: list[Outgoing]) -> None:
        sent = [await producer.send(o.topic, o.value, key=o.key, headers=o.headers) for o in outgoing]
        await asyncio.gather(*sent)
        for o in outgoing:
            MESSAGES.labels(self.settings.service_name, o.topic, "partner", o.outcome).inc()
            if o.outcome == "dead_lettered":
                log.warning("partner record dead-lettered", topic=o.topic)


class PartnerDirectory:
    """The organisations that have a partner: those whose results topic exists (and the gateway may see)."""

    def __init__(self, topic_prefix: str) -> None:
        self.prefix = topic_prefix
        self.known: frozenset[str] = frozenset()
        self.looked_at = 0.0

    async def refresh_unless_newer_than(self, moment: float, consumer: AIOKafkaConsumer) -> None:
        """Look at the topics again unless the last look came after moment (a record's time, plus a second).

        A partner's topics exist before its first command, so its first result never finds an old list.
        """
        if self.looked_at > moment + CLOCK_SKEW:
            return
        pause = self.looked_at + LOOK_INTERVAL - time.time()
        if pause > 0:
            await asyncio.sleep(pause)
        self.looked_at = time.time()
        topics: set[str] = await consumer.topics()
        found = (organisation_of_partner_topic(t.removeprefix(self.prefix), "results")
                 for t in topics if t.startswith(self.prefix))
        self.known = frozenset(org for org in found if org is not None)
