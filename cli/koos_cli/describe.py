"""`koos topics describe`: a topic's partitions (leader, replicas, in-sync replicas, offsets) and its configs."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from aiokafka import TopicPartition
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType
from aiokafka.errors import for_code

from koos_cli.failures import NotFound, OperatorError
from koos_cli.kafka_clients import admin_client, reader, watermarks
from koos_kit.messaging.security import KafkaConnection

UNKNOWN_TOPIC = 3
CONFIG_SOURCES = {0: "unknown", 1: "topic", 2: "broker", 3: "cluster default", 4: "broker file", 5: "default",
                  6: "broker logger", 7: "client metrics", 8: "group"}
ALWAYS_SHOWN = frozenset({"cleanup.policy", "retention.ms", "retention.bytes", "min.insync.replicas"})


@dataclass(frozen=True)
class PartitionDescription:
    partition: int
    leader: int
    replicas: list[int]
    isr: list[int]
    offline_replicas: list[int]
    start_offset: int
    end_offset: int

    @property
    def records(self) -> int:
        return self.end_offset - self.start_offset

    @property
    def under_replicated(self) -> bool:
        return len(self.isr) < len(self.replicas)


@dataclass(frozen=True)
class ConfigEntry:
    name: str
    value: str | None
    source: str
    read_only: bool
    sensitive: bool

    @property
    def worth_showing(self) -> bool:
        """Set on purpose somewhere (not Kafka's default), or one an operator always wants to see."""
        return self.source != "default" or self.name in ALWAYS_SHOWN


@dataclass(frozen=True)
class TopicDescription:
    name: str
    internal: bool
    partitions: list[PartitionDescription]
    configs: list[ConfigEntry]

    @property
    def records(self) -> int:
        return sum(p.records for p in self.partitions)

    def as_json(self) -> dict[str, Any]:
        return {"name": self.name, "internal": self.internal, "records": self.records,
                "partitions": [{**asdict(p), "records": p.records, "under_replicated": p.under_replicated}
                               for p in self.partitions],
                "configs": {c.name: {"value": c.value, "source": c.source, "read_only": c.read_only,
                                     "sensitive": c.sensitive} for c in self.configs}}


async def describe_topic(connection: KafkaConnection, topic: str) -> TopicDescription:
    """Everything the admin API tells about one topic, with each partition's offsets."""
    async with admin_client(connection) as admin:
        (metadata,) = await admin.describe_topics([topic])
        if metadata["error_code"] == UNKNOWN_TOPIC:
            raise NotFound(f"topic {topic} does not exist")
        if metadata["error_code"]:
            raise OperatorError(f"describing {topic}: {for_code(metadata['error_code']).__name__}")
        configs = await _configs(admin, topic)
    ordered = sorted(metadata["partitions"], key=lambda p: p["partition"])
    async with reader(connection) as consumer:
        marks = await watermarks(consumer, [TopicPartition(topic, p["partition"]) for p in ordered])
    partitions = [PartitionDescription(p["partition"], p["leader"], list(p["replicas"]), list(p["isr"]),
                                       list(p.get("offline_replicas", [])),
                                       marks[TopicPartition(topic, p["partition"])].start,
                                       marks[TopicPartition(topic, p["partition"])].end) for p in ordered]
    return TopicDescription(topic, bool(metadata.get("is_internal")), partitions, configs)


async def _configs(admin: Any, topic: str) -> list[ConfigEntry]:
    (response,) = await admin.describe_configs([ConfigResource(ConfigResourceType.TOPIC, topic)])
    (resource,) = response.to_object()["resources"]
    if resource["error_code"]:
        raise OperatorError(f"configs of {topic}: {for_code(resource['error_code']).__name__}")
    entries = [ConfigEntry(e["config_names"], None if e["is_sensitive"] else e["config_value"],
                           CONFIG_SOURCES.get(e.get("config_source", 0), str(e.get("config_source"))),
                           bool(e["read_only"]), bool(e["is_sensitive"])) for e in resource["config_entries"]]
    return sorted(entries, key=lambda e: e.name)
