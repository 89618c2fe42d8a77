"""`koos` as an operator runs it against the real secured broker: lag, dead letters, replays, descriptions, errors.

Every command runs as a process (`python -m koos_cli`) with the cluster named on the command line, as it would be
for any cluster, and in the test's topic namespace (`--topic-prefix`).
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from koos_cli.failures import ExitCode
from koos_contracts import to_record, wrap
from koos_contracts.registration import CancelRegistration, RegisterParticipant
from koos_contracts.topics import REGISTRATION_COMMANDS
from koos_kit.messaging.dead_letters import dead_letter_headers
from koos_kit.messaging.records import Record
from koos_kit.messaging.retry import ATTEMPT, DUE_AT, GROUP
from koos_kit.messaging.security import KafkaConnection, aiokafka_options
from tests.builders import person
from tests.fixtures.servers import KafkaCluster, free_ports
from tests.fixtures.services import Namespace

pytestmark = pytest.mark.integration

EDITION = "7c9e6679-7425-40de-944b-e07fc1f90ae7"
INHERITED = ("KOOS_KAFKA_BOOTSTRAP", "KOOS_KAFKA_USERNAME", "KOOS_KAFKA_PASSWORD", "KOOS_KAFKA_SECURITY_PROTOCOL",
             "KOOS_KAFKA_CA_FILE", "KOOS_PROFILE", "KOOS_CONFIG", "KOOS_TOPIC_PREFIX")


@dataclass
class Koos:
    """The `koos` command with the cluster and the namespace on its command line."""

    cluster: list[str]
    env: dict[str, str]

    def run(self, *args: str, code: int = 0) -> subprocess.CompletedProcess[str]:
        done = subprocess.run([sys.executable, "-m", "koos_cli", *self.cluster, *args], env=self.env,
                              stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120)
        assert done.returncode == code, f"koos {' '.join(args)} exited {done.returncode}:\n{done.stdout}{done.stderr}"
        return done

    async def __call__(self, *args: str, code: int = 0) -> subprocess.CompletedProcess[str]:
        return await asyncio.to_thread(self.run, *args, code=code)

    async def json(self, *args: str) -> Any:
        return json.loads((await self(*args, "-o", "json")).stdout)

    async def json_lines(self, *args: str) -> list[Any]:
        return [json.loads(line) for line in (await self(*args, "-o", "json")).stdout.splitlines()]


def cluster_arguments(connection: KafkaConnection, folder: Path) -> list[str]:
    """How an operator names the cluster: bootstrap, protocol, user, a password file, the CA."""
    arguments = ["--bootstrap-server", connection.bootstrap, "--security-protocol", connection.security_protocol]
    if connection.uses_sasl:
        password_file = folder / f"password-{uuid.uuid4().hex[:6]}"
        password_file.write_text(connection.password + "\n")
        password_file.chmod(0o600)
        arguments += ["--username", connection.username, "--password-file", str(password_file)]
    if connection.ca_file:
        arguments += ["--ca-file", connection.ca_file]
    return arguments


def environment(home: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in INHERITED}
    return {**env, "HOME": str(home), "COLUMNS": "250"}


@pytest.fixture
def koos(kafka_cluster: KafkaCluster, granted_namespace: Namespace, tmp_path: Path) -> Koos:
    arguments = cluster_arguments(kafka_cluster.admin, tmp_path)
    return Koos([*arguments, "--topic-prefix", granted_namespace.prefix], environment(tmp_path))


@pytest.fixture
async def admin(kafka_cluster: KafkaCluster) -> Any:
    producer = AIOKafkaProducer(**aiokafka_options(kafka_cluster.admin), enable_idempotence=True, acks="all")
    await producer.start()
    yield producer
    await producer.stop()


def command(n: int, cancel: bool = False) -> tuple[bytes, bytes, list[tuple[str, bytes]]]:
    message = (CancelRegistration(edition_id=EDITION, registration_id=EDITION) if cancel  # type: ignore[arg-type]
               else RegisterParticipant(edition_id=EDITION, person=person(n)))  # type: ignore[arg-type]
    return to_record(wrap(message, source="/tests", organisation_id="org-oslo"))


async def dead_letters(connection: KafkaConnection, namespace: Namespace) -> str:
    """Four dead letters as a service's settlement writes them (in a transaction): two handler failures, a
    cancellation that timed out, and a record from the retry twin that was not JSON. Returns the commands topic."""
    topic = namespace.topic(REGISTRATION_COMMANDS.name)
    group = f"{namespace.prefix}koos-registration"
    producer = AIOKafkaProducer(**aiokafka_options(connection), transactional_id=f"{namespace.prefix}test-dlq")
    await producer.start()
    try:
        async with producer.transaction():
            for offset, (reason, error_type, cancel) in enumerate((
                    ("handler failed 3 times: ZeroDivisionError: boom", "ZeroDivisionError", False),
                    ("handler failed 3 times: ZeroDivisionError: boom", "ZeroDivisionError", False),
                    ("handler failed 3 times: TimeoutError: timeout", "TimeoutError", True))):
                key, value, headers = command(offset, cancel)
                source = Record(topic, 0, 40 + offset, key, value, headers)
                await producer.send(f"{topic}.dlq", value, key=key,
                                    headers=dead_letter_headers(source, reason, error_type, group))
            retried = Record(f"{topic}.retry", 1, 5, b"edition", b"{not json",
                             [("ce_type", b"koos.registration.RegisterParticipant.v1"), (ATTEMPT, b"2")])
            await producer.send(f"{topic}.dlq", b"{not json", key=b"edition",
                                headers=dead_letter_headers(retried, "value is not JSON: Expecting property name",
                                                            "MalformedRecord", group))
    finally:
        await producer.stop()
    return topic


async def records_of(connection: KafkaConnection, topic: str) -> list[Any]:
    """Every committed record of a topic, now."""
    consumer = AIOKafkaConsumer(**aiokafka_options(connection), enable_auto_commit=False,
                                isolation_level="read_committed")
    await consumer.start()
    try:
        partitions = [TopicPartition(topic, p) for p in sorted(await consumer._client._wait_on_metadata(topic))]
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        ends = await consumer.end_offsets(partitions)
        found: list[Any] = []
        while any([await consumer.position(p) < ends[p] for p in partitions]):
            batch = await consumer.getmany(timeout_ms=500)
            found += [r for rs in batch.values() for r in rs]
        return found
    finally:
        await consumer.stop()


async def test_koos_lag_shows_each_partitions_committed_offset_the_end_and_what_is_left(
        koos: Koos, admin: AIOKafkaProducer, kafka_cluster: KafkaCluster, granted_namespace: Namespace) -> None:
    topic = granted_namespace.topic(REGISTRATION_COMMANDS.name)
    group = f"{granted_namespace.prefix}koos-registration"
    for _n in range(5):
        await admin.send_and_wait(topic, b"{}", key=b"k", partition=0)
    for _n in range(2):
        await admin.send_and_wait(topic, b"{}", key=b"k", partition=1)
    retried = await _transactional_records(kafka_cluster.admin, f"{topic}.retry", granted_namespace)
    await _commit(kafka_cluster.admin, group, {TopicPartition(topic, 0): 2, TopicPartition(topic, 1): 2,
                                               TopicPartition(f"{topic}.retry", 0): retried})

    (found,) = await koos.json("lag")
    table = (await koos("lag", "--group", group)).stdout

    assert found["group"] == group and found["state"] == "Empty" and found["members"] == 0
    by_partition = {(p["topic"], p["partition"]): p for p in found["partitions"]}
    assert by_partition[(topic, 0)] | {"committed_offset": 2, "end_offset": 5, "lag": 3} == by_partition[(topic, 0)]
    assert by_partition[(topic, 1)]["lag"] == 0
    assert by_partition[(f"{topic}.retry", 0)]["lag"] == 0, "a commit marker is no record to consume"
    assert found["lag"] == 3 and group in table


async def test_koos_lag_of_a_group_that_does_not_exist_says_so_in_one_line(koos: Koos) -> None:
    done = await koos("lag", "--group", "nobody-here", code=ExitCode.NOT_FOUND)

    assert done.stderr.strip() == "koos: consumer group nobody-here does not exist (or has no committed offsets)"


async def test_dlq_inspect_shows_reason_error_type_and_source_and_filters_by_offset_type_and_reason(
        koos: Koos, kafka_cluster: KafkaCluster, granted_namespace: Namespace) -> None:
    topic = await dead_letters(kafka_cluster.admin, granted_namespace)

    every = await koos.json_lines("dlq", "inspect", REGISTRATION_COMMANDS.name)
    boom = await koos.json_lines("dlq", "inspect", REGISTRATION_COMMANDS.name, "--reason", "BOOM")
    cancels = await koos.json_lines("dlq", "inspect", REGISTRATION_COMMANDS.name, "--type", "koos.registration.Cancel*")
    late = await koos.json_lines("dlq", "inspect", REGISTRATION_COMMANDS.name, "--from-offset", "2", "--error-type",
                                 "MalformedRecord")
    table = (await koos("dlq", "inspect", REGISTRATION_COMMANDS.name)).stdout

    assert [d["offset"] for d in every] == [0, 1, 2, 3]
    first = every[0]
    assert (first["type"], first["error_type"]) == ("koos.registration.RegisterParticipant.v1", "ZeroDivisionError")
    assert first["reason"] == "handler failed 3 times: ZeroDivisionError: boom" and first["source"] == f"{topic}/0/40"
    assert first["record"]["envelope"]["data"]["person"]["email"] == "‹redacted›"
    assert every[3]["source"] == f"{topic}.retry/1/5" and every[3]["origin"] == topic
    assert [d["offset"] for d in boom] == [0, 1] and [d["offset"] for d in cancels] == [2]
    assert [d["offset"] for d in late] == [3]
    assert "value is not JSON" in table and "4 dead letters" in table


async def test_a_dry_run_sends_nothing_and_a_redrive_run_twice_sends_each_dead_letter_once(
        koos: Koos, kafka_cluster: KafkaCluster, granted_namespace: Namespace) -> None:
    topic = await dead_letters(kafka_cluster.admin, granted_namespace)
    name = REGISTRATION_COMMANDS.name

    dry = await koos.json("dlq", "redrive", name, "--reason", "boom", "--dry-run")
    assert await records_of(kafka_cluster.admin, topic) == []
    first = await koos.json("dlq", "redrive", name, "--reason", "boom")
    again = await koos.json("dlq", "redrive", name, "--reason", "boom")
    rest = await koos.json("dlq", "redrive", name)
    redriven = await records_of(kafka_cluster.admin, topic)

    assert (dry["dry_run"], dry["would_send"], dry["sent"]) == (True, 2, 0)
    assert (first["sent"], first["already_sent"], first["destinations"]) == (2, 0, {topic: 2})
    assert (again["sent"], again["already_sent"]) == (0, 2)
    assert (rest["selected"], rest["sent"], rest["already_sent"]) == (4, 2, 2)
    assert len(redriven) == 4 and len({d["dead_letter_id"] for d in rest["dead_letters"]}) == 4
    markers = sorted(dict(r.headers)["koos_redrive_of"].decode() for r in redriven)
    assert markers == sorted(d["dead_letter_id"] for d in rest["dead_letters"])
    assert not [k for r in redriven for k, _ in r.headers if k.startswith(("koos_dlq_", "koos_retry_"))]
    assert {r.value for r in redriven} >= {b"{not json"}


async def test_two_copies_of_one_dead_letter_are_redriven_once(
        koos: Koos, kafka_cluster: KafkaCluster, granted_namespace: Namespace) -> None:
    topic = granted_namespace.topic(REGISTRATION_COMMANDS.name)
    key, value, headers = command(1)
    source = Record(topic, 2, 17, key, value, headers)
    producer = AIOKafkaProducer(**aiokafka_options(kafka_cluster.admin), transactional_id="test-copies")
    await producer.start()
    for _ in range(2):  # the same record set aside by two consumers of a batch read twice
        async with producer.transaction():
            await producer.send(f"{topic}.dlq", value, key=key,
                                headers=dead_letter_headers(source, "boom", "ZeroDivisionError", "g"))
    await producer.stop()

    done = await koos.json("dlq", "redrive", REGISTRATION_COMMANDS.name)

    assert (done["selected"], done["sent"]) == (2, 1)
    assert len(await records_of(kafka_cluster.admin, topic)) == 1


async def test_purge_deletes_the_dead_letters_before_an_offset_after_saying_how_many_were_never_redriven(
        koos: Koos, kafka_cluster: KafkaCluster, granted_namespace: Namespace) -> None:
    await dead_letters(kafka_cluster.admin, granted_namespace)
    name = REGISTRATION_COMMANDS.name
    await koos("dlq", "redrive", name, "--to-offset", "0")

    refused = await koos("dlq", "purge", name, "--before", "2", code=ExitCode.USAGE)
    purged = await koos.json("dlq", "purge", name, "--before", "2", "--yes")
    left = await koos.json_lines("dlq", "inspect", name)

    assert "add --yes" in refused.stderr
    assert (purged["dead_letters"], purged["never_redriven"], purged["new_start_offsets"]) == (2, 1, {"0": 2})
    assert [d["offset"] for d in left] == [2, 3]


async def test_topics_describe_shows_partitions_leaders_replicas_in_sync_replicas_configs_and_records(
        koos: Koos, admin: AIOKafkaProducer, granted_namespace: Namespace) -> None:
    topic = granted_namespace.topic(REGISTRATION_COMMANDS.name)
    for partition in (0, 0, 2):
        await admin.send_and_wait(topic, b"{}", key=b"k", partition=partition)

    described = await koos.json("topics", "describe", REGISTRATION_COMMANDS.name)
    table = (await koos("topics", "describe", topic)).stdout
    listed = await koos.json("topics")
    missing = await koos("topics", "describe", "koos.nothing.v1", code=ExitCode.NOT_FOUND)

    assert described["name"] == topic and described["records"] == 3
    partitions = described["partitions"]
    assert [p["partition"] for p in partitions] == [0, 1, 2] and [p["records"] for p in partitions] == [2, 0, 1]
    assert all(p["leader"] >= 0 and p["isr"] == p["replicas"] and p["replicas"] for p in partitions)
    assert described["configs"]["min.insync.replicas"] == {"value": "1", "source": "topic", "read_only": False,
                                                           "sensitive": False}
    assert "in sync" in table and "min.insync.replicas" in table
    assert {"topic": topic, "partitions": 3, "records": 3} in listed
    assert missing.stderr.strip() == f"koos: topic {granted_namespace.prefix}koos.nothing.v1 does not exist"


async def test_a_replay_puts_the_range_on_the_retry_twin_due_now_for_one_services_group(
        koos: Koos, admin: AIOKafkaProducer, kafka_cluster: KafkaCluster, granted_namespace: Namespace) -> None:
    topic = granted_namespace.topic(REGISTRATION_COMMANDS.name)
    for n in range(5):
        key, value, headers = command(n)
        await admin.send_and_wait(topic, value, key=key, headers=headers, partition=0)

    dry = await koos.json("replay", REGISTRATION_COMMANDS.name, "--into", "registration", "--dry-run")
    assert await records_of(kafka_cluster.admin, f"{topic}.retry") == []
    done = await koos.json("replay", REGISTRATION_COMMANDS.name, "--into", "registration", "--partition", "0",
                           "--from-offset", "1", "--to-offset", "3")
    replayed = await records_of(kafka_cluster.admin, f"{topic}.retry")

    assert (dry["records"], dry["dry_run"]) == (5, True)
    assert done["records"] == 3 and done["partitions"] == [{"partition": 0, "first_offset": 1, "last_offset": 3,
                                                            "records": 3}]
    assert len(replayed) == 3
    for record in replayed:
        headers = dict(record.headers)
        assert headers[ATTEMPT] == b"0" and headers[GROUP] == f"{granted_namespace.prefix}koos-registration".encode()
        assert float(headers[DUE_AT]) > 0 and headers["ce_type"] == b"koos.registration.RegisterParticipant.v1"


async def test_partners_are_listed_as_json_with_their_user_and_acls(koos: Koos, kafka_cluster: KafkaCluster,
                                                                     granted_namespace: Namespace) -> None:
    if not kafka_cluster.secured:
        pytest.skip("partners need SASL users and ACLs")
    added = await koos.json("partner", "add", "espoon-kaupunki")
    listed = await koos.json("partner", "list")
    await koos("partner", "revoke", "espoon-kaupunki")

    assert added["sasl.username"] == f"{granted_namespace.prefix}partner-espoon-kaupunki" and added["sasl.password"]
    assert [p["organisation"] for p in listed] == ["espoon-kaupunki"] and listed[0]["acls"] > 0


async def test_a_broker_nobody_listens_at_is_one_line_with_exit_code_3(tmp_path: Path) -> None:
    (port,) = free_ports(1)
    koos = Koos(["--bootstrap-server", f"127.0.0.1:{port}"], environment(tmp_path))

    done = await koos("lag", code=ExitCode.UNREACHABLE)

    assert done.stderr.splitlines() == [f"koos: cannot reach Kafka at 127.0.0.1:{port}: "
                                        f"Connect call failed ('127.0.0.1', {port})"]
    assert done.stdout == ""


async def test_wrong_credentials_and_an_untrusted_certificate_are_one_line_each_and_the_right_ca_works(
        kafka_cluster: KafkaCluster, tmp_path: Path) -> None:
    if kafka_cluster.server is None:
        pytest.skip("needs the secured dev broker")
    admin = kafka_cluster.admin
    wrong = Koos(["-b", admin.bootstrap, "-u", admin.username, "--password", "not-it"], environment(tmp_path))
    tls = kafka_cluster.server.connection(tls=True)
    untrusted = Koos(["-b", tls.bootstrap, "--security-protocol", "SASL_SSL", "-u", tls.username, "--password",
                      tls.password], environment(tmp_path))
    trusted = Koos(cluster_arguments(tls, tmp_path), environment(tmp_path))

    refused = await wrong("topics", code=ExitCode.REFUSED)
    unverified = await untrusted("topics", code=ExitCode.UNREACHABLE)
    listed = await trusted.json("topics")

    assert refused.stderr.startswith(f"koos: Kafka at {admin.bootstrap} refused the credentials:")
    assert len(refused.stderr.splitlines()) == 1
    assert unverified.stderr.startswith(f"koos: TLS with Kafka at {tls.bootstrap} failed: ")
    assert "--ca-file" in unverified.stderr and len(unverified.stderr.splitlines()) == 1
    assert isinstance(listed, list)


async def _transactional_records(connection: KafkaConnection, topic: str, namespace: Namespace) -> int:
    """Two records in a transaction on partition 0; returns the offset after the last record (before its marker)."""
    producer = AIOKafkaProducer(**aiokafka_options(connection), transactional_id=f"{namespace.prefix}test-lag")
    await producer.start()
    try:
        async with producer.transaction():
            await producer.send(topic, b"{}", key=b"k", partition=0)
            last = await (await producer.send(topic, b"{}", key=b"k", partition=0))
    finally:
        await producer.stop()
    return int(last.offset) + 1


async def _commit(connection: KafkaConnection, group: str, offsets: dict[TopicPartition, int]) -> None:
    consumer = AIOKafkaConsumer(**aiokafka_options(connection), group_id=group, enable_auto_commit=False)
    await consumer.start()
    try:
        consumer.assign(list(offsets))
        await consumer.commit(offsets)
    finally:
        await consumer.stop()
