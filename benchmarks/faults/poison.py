"""Poison records: random bytes, truncated JSON, wrong types, huge values and bad headers, each on a command
topic (keyed like the rush's commands, so that they sit between valid ones on the same partitions) and tagged
with a header of their own, so that each can be found again in its topic's DLQ twin, with the reason."""

import asyncio
import json
import random
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.errors import KafkaError

from koos_contracts import to_record, wrap
from koos_contracts.base import Command, Message
from koos_contracts.catalogue import MESSAGE_TYPES
from koos_contracts.examples import example_of
from koos_kit.messaging.security import KafkaConnection, aiokafka_options

TAG = "faults_poison"
LIMIT = 1_048_576
"""Kafka's default largest record (message.max.bytes, max.request.size)."""

COMMANDS: tuple[type[Message], ...] = tuple(c for c in MESSAGE_TYPES.values() if issubclass(c, Command)
                                             and c.topic.name.endswith(".commands.v1"))
"""Commands of a service's own command topic (the privacy requests topic, read by every holder of personal
data in a group of its own, is left out: each group would dead-letter the same record)."""

Record = tuple[bytes, bytes | None, list[tuple[str, bytes | None]]]
"""Key, value, headers."""


@dataclass(frozen=True)
class Poison:
    tag: str
    family: str
    topic: str


def _valid(command: type[Message], edition_id: str) -> tuple[dict[str, Any], list[tuple[str, bytes]]]:
    """A valid record of the command, for one of the rush's editions, to damage."""
    message = example_of(command).model_copy(update={"edition_id": UUID(edition_id)})
    _, value, headers = to_record(wrap(message, source="/faults/poison", organisation_id="faults"))
    return json.loads(value), headers


def _wrong(value: Any) -> Any:
    """A value of a type the field's cannot be coerced from."""
    if isinstance(value, dict):
        return 12345
    if isinstance(value, list):
        return "not a list"
    if isinstance(value, bool | int | float):
        return {"not": "a number"}
    return [[1, 2]]


def _random_bytes(rng: random.Random, body: dict[str, Any], headers: list[Any]) -> Record:
    return b"", rng.randbytes(rng.randint(0, 2000)), headers


def _truncated_json(rng: random.Random, body: dict[str, Any], headers: list[Any]) -> Record:
    text = json.dumps(body).encode()
    return b"", text[:rng.randint(1, len(text) - 1)], headers


def _wrong_types(rng: random.Random, body: dict[str, Any], headers: list[Any]) -> Record:
    name = rng.choice(sorted(body))
    return b"", json.dumps({**body, name: _wrong(body[name])}).encode(), headers


def _huge_value(rng: random.Random, body: dict[str, Any], headers: list[Any]) -> Record:
    shape = rng.choice(("string", "number", "nesting", "limit"))
    field = _id_field(body)
    if shape == "string":
        return b"", json.dumps({**body, field: "9" * 300_000}).encode(), headers
    if shape == "number":
        return b"", json.dumps({**body, field: 10**400}).encode(), headers
    if shape == "nesting":
        depth = rng.randint(2_000, 50_000)
        return b"", b'{"edition_id":' * depth + b"1" + b"}" * depth, headers
    size = LIMIT - 2_000 - sum(len(n) + len(v or b"") for n, v in headers)
    return b"", b'{"edition_id":"' + b"7" * size + b'"}', headers


def _id_field(body: dict[str, Any]) -> str:
    """The command's own id field (an edition's or a programme's): a huge value there makes the command invalid,
    where a field the command does not have would be ignored by its tolerant reader, and the command handled."""
    return next((name for name in body if name.endswith("_id")), "edition_id")


def _bad_headers(rng: random.Random, body: dict[str, Any], headers: list[Any]) -> Record:
    value = json.dumps(body).encode()
    kept = [(n, v) for n, v in headers if n != "ce_type"]
    damage = rng.choice(("no type", "unknown type", "type not UTF-8", "null type", "spec", "time", "no id"))
    if damage == "no type":
        return b"", value, kept
    if damage == "unknown type":
        return b"", value, [*kept, ("ce_type", b"koos.fuzz.NothingLikeThis.v1")]
    if damage == "type not UTF-8":
        return b"", value, [*kept, ("ce_type", b"\xff\xfe" + rng.randbytes(8))]
    if damage == "null type":
        return b"", value, [*kept, ("ce_type", None)]
    original = [(n, v) for n, v in headers if n not in ("ce_specversion", "ce_time", "ce_id")]
    if damage == "spec":
        return b"", value, [*original, ("ce_specversion", b"\xff0.3")]
    if damage == "time":
        return b"", value, [*original, ("ce_time", b"the day before yesterday"),
                            ("ce_specversion", b"1.0"), ("ce_id", b"x")]
    return b"", value, [(n, v) for n, v in headers if n != "ce_id"]


FAMILIES: dict[str, Callable[[random.Random, dict[str, Any], list[Any]], Record]] = {
    "random bytes": _random_bytes, "truncated JSON": _truncated_json, "wrong types": _wrong_types,
    "huge values": _huge_value, "bad headers": _bad_headers,
}


@dataclass
class PoisonSender:
    """Sends poison records a few at a time, spread over the run, between the rush's valid commands."""

    connection: KafkaConnection
    prefix: str
    run: str
    rng: random.Random
    sent: list[Poison] = field(default_factory=list)
    families: tuple[str, ...] = ()
    """The families to send (all when empty)."""

    async def send(self, count: int, editions: Sequence[str], seconds: float) -> None:
        producer = AIOKafkaProducer(**aiokafka_options(self.connection), enable_idempotence=True, acks="all",
                                    max_request_size=2 * LIMIT, request_timeout_ms=60_000)
        await producer.start()
        try:
            pace = seconds / max(1, count)
            for n in range(count):
                await self._one(producer, n, self.rng.choice(list(editions)))
                if n % 20 == 19:
                    await asyncio.sleep(20 * pace)
        finally:
            await producer.stop()

    async def _one(self, producer: AIOKafkaProducer, n: int, edition_id: str) -> None:
        command = self.rng.choice(COMMANDS)
        family = self.rng.choice(sorted(self.families or FAMILIES))
        body, headers = _valid(command, edition_id)
        _, value, poisoned = FAMILIES[family](self.rng, body, list(headers))
        tag = f"{self.run}-{n}"
        topic = self.prefix + command.topic.name
        while True:
            try:
                await producer.send_and_wait(topic, value, key=edition_id.encode(),
                                             headers=[*poisoned, (TAG, tag.encode())])
                break
            except KafkaError:  # the broker is being restarted: send it again once it is back
                await asyncio.sleep(1.0)
        self.sent.append(Poison(tag, family, topic))


@dataclass(frozen=True)
class DeadLetter:
    tag: str
    dead_letter_id: str
    reason: str


async def dead_letters(connection: KafkaConnection, topics: Iterable[str], tags: set[str],
                       timeout: float) -> list[DeadLetter]:
    """The dead letters of the tagged poison in these DLQ twins (read committed), once all are there or after
    the timeout."""
    consumer = AIOKafkaConsumer(**aiokafka_options(connection), enable_auto_commit=False,
                                isolation_level="read_committed", max_partition_fetch_bytes=4 * LIMIT,
                                fetch_max_bytes=8 * LIMIT)
    await consumer.start()
    found: list[DeadLetter] = []
    try:
        partitions = [TopicPartition(t, p) for t in topics for p in consumer.partitions_for_topic(t) or {0, 1, 2}]
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        deadline = time.monotonic() + timeout
        while {d.tag for d in found} < tags and time.monotonic() < deadline:
            batch = await consumer.getmany(timeout_ms=500, max_records=5_000)
            found += [letter for records in batch.values() for r in records if (letter := _letter(r, tags))]
    finally:
        await consumer.stop()
    return found


def _letter(record: Any, tags: set[str]) -> DeadLetter | None:
    headers = {name: (value or b"").decode(errors="replace") for name, value in record.headers}
    if headers.get(TAG) not in tags:
        return None
    return DeadLetter(headers[TAG], headers.get("koos_dlq_id", ""), headers.get("koos_dlq_reason", ""))
