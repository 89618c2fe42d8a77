"""What an operator sees of a running service: its own lag and DLQ gauges on /metrics, `koos lag`, a poison record
redriven (and dead-lettered anew, once), and a command replayed into the service through its retry twin."""

import re
from pathlib import Path

import httpx
import pytest

from koos_contracts import to_record, wrap
from koos_contracts.scheduling import EditionPublished, PublishEdition
from koos_contracts.topics import EDITIONS, SCHEDULING_COMMANDS
from tests.builders import open_course
from tests.fixtures.kafka import KafkaProbe, eventually
from tests.fixtures.servers import KafkaCluster
from tests.fixtures.services import Namespace, ServiceFactory, ServiceProcess
from tests.integration.test_operator_cli import Koos, cluster_arguments, environment, records_of

pytestmark = pytest.mark.e2e


def sample(metrics: str, name: str, **labels: str) -> float | None:
    """A sample's value in Prometheus text, by its name and some of its labels."""
    for line in metrics.splitlines():
        match = re.fullmatch(rf"{name}\{{(.*)\}} (\S+)", line)
        if match and all(f'{key}="{value}"' in match[1] for key, value in labels.items()):
            return float(match[2])
    return None


async def metrics_of(service: ServiceProcess) -> str:
    async with httpx.AsyncClient() as client:
        return (await client.get(f"{service.url}/metrics", timeout=5)).text


async def test_a_services_gauges_koos_lag_redrive_and_replay_agree_with_what_happened(
        services: ServiceFactory, kafka_probe: KafkaProbe, kafka_cluster: KafkaCluster,
        granted_namespace: Namespace, tmp_path: Path) -> None:
    scheduling = services("scheduling", metrics_sample_seconds="1").start()
    koos = Koos([*cluster_arguments(kafka_cluster.admin, tmp_path), "--topic-prefix", granted_namespace.prefix],
                environment(tmp_path))
    commands, group = granted_namespace.topic(SCHEDULING_COMMANDS.name), f"{granted_namespace.prefix}koos-scheduling"
    key, _value, headers = to_record(wrap(open_course(), source="/tests", organisation_id="org-oslo"))
    await kafka_probe.send_raw(SCHEDULING_COMMANDS, b"{not json", key=key, headers=headers)
    await kafka_probe.send(open_course(), "org-oslo")
    await kafka_probe.envelopes(EDITIONS, lambda found: len(found) >= 1)

    async def gauges() -> str | None:
        text = await metrics_of(scheduling)
        depth = sample(text, "koos_dlq_depth", service="scheduling", topic=f"{commands}.dlq")
        lags = [sample(text, "koos_consumer_lag", group=group, topic=commands, partition=str(p)) for p in range(3)]
        return text if depth and depth >= 1 and lags == [0.0, 0.0, 0.0] else None

    text = await eventually(gauges, timeout=60)
    assert sample(text, "koos_outbox_backlog", service="scheduling", collection="editions") == 0

    async def caught_up() -> bool:
        found = {g["group"]: g for g in await koos.json("lag")}
        return group in found and found[group]["lag"] == 0 and bool(found[group]["partitions"])

    await eventually(caught_up, timeout=60, interval=1)

    first = await koos.json("dlq", "redrive", SCHEDULING_COMMANDS.name)
    assert (first["sent"], first["destinations"]) == (1, {commands: 1}), "the poison record, once"
    held = first["selected"]
    again = await kafka_probe.records(SCHEDULING_COMMANDS.dlq, lambda rs: len(rs) > held)
    assert dict(again[-1].headers)["koos_dlq_source_topic"] == commands.encode()
    assert (await koos.json("dlq", "redrive", SCHEDULING_COMMANDS.name, "--to-offset", "0"))["sent"] == 0

    publish = PublishEdition.ce_type()
    before = sample(await metrics_of(scheduling), "koos_messages_total", topic=f"{commands}.retry", type=publish,
                    outcome="handled") or 0.0
    replayed = await koos.json("replay", SCHEDULING_COMMANDS.name, "--into", "scheduling", "--from-offset", "0")
    assert replayed["records"] == 3, "the poison record, the command, and the poison record redriven"

    async def handled_again() -> bool:
        now = sample(await metrics_of(scheduling), "koos_messages_total", topic=f"{commands}.retry", type=publish,
                     outcome="handled")
        return now == before + 1

    await eventually(handled_again, timeout=60)
    editions = await records_of(kafka_cluster.admin, granted_namespace.topic(EDITIONS.name))
    published = [r for r in editions if dict(r.headers).get("ce_type") == EditionPublished.ce_type().encode()]
    assert len(published) == 1, "a command replayed changes nothing it changed before"
