"""The dev servers: process management, Mongo durability, Kafka round trip, SMTP storage."""

from __future__ import annotations

import os
import shutil
import smtplib
import socket
import subprocess
import threading
import time
import uuid
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import KafkaError
from bson import Decimal128, Int64, ObjectId
from pymongo import MongoClient
from pymongo.errors import PyMongoError

from koos_cli.servers import (
    KAFKA_VERSION,
    MONGO_JAVA_SERVER_VERSION,
    MongoWireServer,
    Servers,
    StartError,
    list_messages,
    read_message,
)
from koos_cli.servers.installer import ensure_built
from koos_cli.servers.kafka_tls import TlsFiles
from koos_cli.servers.settings import INFRA_DIR
from koos_kit.messaging.security import KafkaConnection, aiokafka_options
from tests.fixtures.servers import KafkaCluster, SmtpEndpoint, announce, isolated_settings

pytestmark = pytest.mark.integration

LETTERS = "õ ä ö ü å ø æ š ž Õ Ä Ö Ü Å Ø Æ Š Ž"
SHORT_LETTERS = "õ ä ö ü å ø æ š ž"
Document = dict[str, object]


@pytest.fixture
def scratch_servers(tmp_path: Path) -> Iterator[Servers]:
    """Servers with their own state dir and ports, stopped after the test."""
    servers = Servers(isolated_settings(tmp_path / "state"))
    yield servers
    servers.stop_all()


def proc_exists(pid: int) -> bool:
    """Tell whether /proc still lists pid."""
    return Path(f"/proc/{pid}").exists()


def dead_pid() -> int:
    """The pid of a process that has already exited."""
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid


def pom_property(pom: Path, name: str) -> str:
    """A <properties> value of a Maven pom."""
    namespace = {"m": "http://maven.apache.org/POM/4.0.0"}
    value = ElementTree.parse(pom).getroot().findtext(f"m:properties/m:{name}", namespaces=namespace)
    return value or ""


def test_versions_match_the_poms() -> None:
    assert pom_property(INFRA_DIR / "kafka" / "pom.xml", "kafka.version") == KAFKA_VERSION
    mongo_pom = INFRA_DIR / "mongo" / "pom.xml"
    assert pom_property(mongo_pom, "mongo-java-server.version") == MONGO_JAVA_SERVER_VERSION


def test_a_missing_or_corrupt_cache_is_rebuilt(tmp_path: Path) -> None:
    builds: list[Path] = []

    def build(target: Path) -> None:
        builds.append(target)
        (target / "libs").mkdir()
        (target / "libs" / "server.jar").write_bytes(b"jar" * 100)

    target = tmp_path / "cache" / "server-1.0"
    assert ensure_built(target, "key-1", build)
    assert not ensure_built(target, "key-1", build)
    (target / "libs" / "server.jar").write_bytes(b"truncated")
    assert ensure_built(target, "key-1", build)
    assert ensure_built(target, "key-2", build), "changed inputs rebuild"
    shutil.rmtree(target / "libs")
    assert ensure_built(target, "key-2", build)
    assert len(builds) == 4


def test_start_is_idempotent_and_stop_leaves_no_process(scratch_servers: Servers) -> None:
    smtp = scratch_servers.smtp
    smtp.start()
    first_pid = smtp.pid()
    assert first_pid is not None
    smtp.start()
    assert smtp.pid() == first_pid
    assert smtp.status().healthy
    smtp.stop()
    assert not proc_exists(first_pid)
    assert not smtp.process.pid_file.exists()
    smtp.stop()
    assert smtp.status().running is False


def test_stale_pid_files_are_ignored_and_removed(scratch_servers: Servers) -> None:
    smtp = scratch_servers.smtp
    pid_file = smtp.process.pid_file
    pid_file.parent.mkdir(parents=True, exist_ok=True)
    pid_file.write_text(f"{os.getpid()}\n")
    smtp.stop()
    assert not pid_file.exists(), "a pid of another program is stale"
    pid_file.write_text(f"{dead_pid()}\n")
    assert smtp.status().running is False
    smtp.start()
    pid = smtp.pid()
    assert pid is not None and pid != os.getpid()
    assert pid_file.read_text().strip() == str(pid)


def test_a_port_held_by_another_program_is_reported(scratch_servers: Servers) -> None:
    smtp = scratch_servers.smtp
    with socket.create_server((smtp.host, smtp.port)), pytest.raises(StartError, match="used by another program"):
        smtp.start()
    assert smtp.pid() is None


def test_a_server_that_dies_while_starting_names_its_log(scratch_servers: Servers) -> None:
    smtp = scratch_servers.smtp
    smtp.prepare()
    smtp.maildir.write_text("a file where the Maildir folder should be")
    with pytest.raises(StartError, match="exited") as failure:
        smtp.start()
    assert str(smtp.log_file) in str(failure.value)


def test_kill9_leaves_a_pid_file_that_start_recovers_from(scratch_servers: Servers) -> None:
    smtp = scratch_servers.smtp
    smtp.start()
    killed = smtp.pid()
    assert killed is not None
    smtp.kill9()
    assert not proc_exists(killed)
    assert smtp.process.pid_file.exists()
    smtp.start()
    assert smtp.pid() not in (None, killed)


@dataclass
class InsertRun:
    """Concurrent acknowledged inserts that stop at the first failure of each worker."""

    collection_name: str
    url: str
    total: int
    acknowledged: list[int] = field(default_factory=list)
    _next: Iterator[int] = field(init=False)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self._next = iter(range(self.total))

    def take(self) -> int | None:
        with self._lock:
            return next(self._next, None)

    def worker(self) -> None:
        client: MongoClient[Document] = MongoClient(self.url, serverSelectionTimeoutMS=2000)
        collection = client.koos_durability[self.collection_name]
        try:
            while (doc_id := self.take()) is not None:
                collection.insert_one({"_id": doc_id, "text": LETTERS, "at": time.time()})
                self.acknowledged.append(doc_id)
        except PyMongoError:
            return
        finally:
            client.close()


def stored_ids(url: str, collection_name: str) -> set[int]:
    client: MongoClient[Document] = MongoClient(url, serverSelectionTimeoutMS=10000)
    try:
        return {int(str(doc["_id"])) for doc in client.koos_durability[collection_name].find({}, {"_id": 1})}
    finally:
        client.close()


def test_acknowledged_inserts_survive_kill9(mongo_server: MongoWireServer, pytestconfig: pytest.Config) -> None:
    run = InsertRun(f"inserts_{uuid.uuid4().hex[:8]}", mongo_server.url, total=3000)
    workers = [threading.Thread(target=run.worker, daemon=True) for _ in range(16)]
    for worker in workers:
        worker.start()
    deadline = time.monotonic() + 60
    while len(run.acknowledged) < 1500 and time.monotonic() < deadline:
        time.sleep(0.005)
    mongo_server.kill9()
    for worker in workers:
        worker.join(timeout=30)
    acknowledged = set(run.acknowledged)
    mongo_server.start()
    present = stored_ids(mongo_server.url, run.collection_name)
    summary = f"{len(acknowledged)} of {run.total} inserts acknowledged before kill -9, {len(present)} present after"
    announce(pytestconfig, f"durability: {summary}")
    assert 1500 <= len(acknowledged) < run.total, "the kill must land in the middle of the run"
    assert acknowledged <= present, f"lost {len(acknowledged - present)} acknowledged inserts"


def test_documents_of_every_wire_type_read_back_unchanged_after_kill9(mongo_server: MongoWireServer) -> None:
    """The store keeps documents as BSON: every value a client sends comes back the same, changed or not."""
    document: Document = {"_id": "every-type", "int": 7, "long": Int64(2**40), "double": 1.25, "text": LETTERS,
                "at": datetime(2026, 12, 2, 1, 2, 3, 456000, tzinfo=UTC),
                "before_1970": datetime(1960, 1, 1, tzinfo=UTC),
                "uuid": uuid.UUID(int=5), "decimal": Decimal128("1.10"), "none": None, "yes": True,
                "bytes": b"\x00\x01" * 8, "object_id": ObjectId(), "nested": [1, "x", {"deep": [2, {"deeper": []}]}]}
    client: MongoClient[Document] = MongoClient(mongo_server.url, uuidRepresentation="standard", tz_aware=True)
    collection = client.koos_types[f"types_{uuid.uuid4().hex[:8]}"]
    collection.insert_many([dict(document), {**document, "_id": "changed"}])
    collection.update_one({"_id": "changed"}, {"$set": {"text": "muudetud"}, "$push": {"nested": 3}})
    client.close()
    mongo_server.kill9()
    mongo_server.start()
    client = MongoClient(mongo_server.url, uuidRepresentation="standard", tz_aware=True)
    try:
        stored = {d["_id"]: d for d in client.koos_types[collection.name].find()}
    finally:
        client.close()
    assert stored["every-type"] == document
    nested = document["nested"]
    assert isinstance(nested, list)
    assert stored["changed"] == {**document, "_id": "changed", "text": "muudetud", "nested": [*nested, 3]}


async def create_topic(connection: KafkaConnection, topic: str) -> None:
    admin = AIOKafkaAdminClient(**aiokafka_options(connection))
    await admin.start()
    try:
        await admin.create_topics([NewTopic(topic, num_partitions=3, replication_factor=1)])
    finally:
        await admin.close()


async def produce(connection: KafkaConnection, topic: str, values: list[str]) -> None:
    producer = AIOKafkaProducer(**aiokafka_options(connection), acks="all", enable_idempotence=True)
    await producer.start()
    try:
        for number, value in enumerate(values):
            await producer.send_and_wait(topic, value.encode(), key=f"key-{number % 5}".encode())
    finally:
        await producer.stop()


async def consume_and_commit(connection: KafkaConnection, topic: str, group: str,
                             expected: int) -> tuple[list[str], int]:
    consumer = AIOKafkaConsumer(
        topic, **aiokafka_options(connection), group_id=group, enable_auto_commit=False, auto_offset_reset="earliest"
    )
    await consumer.start()
    try:
        received = await _receive(consumer, expected)
        await consumer.commit()
        committed = [await consumer.committed(partition) or 0 for partition in consumer.assignment()]
        return received, sum(committed)
    finally:
        await consumer.stop()


async def _receive(consumer: AIOKafkaConsumer, expected: int) -> list[str]:
    received: list[str] = []
    deadline = time.monotonic() + 60
    while len(received) < expected and time.monotonic() < deadline:
        batches = await consumer.getmany(timeout_ms=1000)
        received.extend(record.value.decode() for records in batches.values() for record in records)
    return received


@pytest.mark.asyncio
async def test_kafka_idempotent_produce_and_manual_commit(kafka_cluster: KafkaCluster) -> None:
    topic = f"koos-test-{uuid.uuid4().hex[:8]}"
    values = [f"sõnum {number}: {LETTERS}" for number in range(200)]
    await create_topic(kafka_cluster.admin, topic)
    await produce(kafka_cluster.admin, topic, values)
    received, committed = await consume_and_commit(kafka_cluster.admin, topic, f"group-{topic}", len(values))
    assert sorted(received) == sorted(values)
    assert committed == len(values)


@pytest.mark.asyncio
async def test_kafka_speaks_scram_over_tls_with_the_state_dirs_ca_and_refuses_strangers(
        kafka_cluster: KafkaCluster, tmp_path: Path) -> None:
    if kafka_cluster.server is None:
        pytest.skip("an external broker has no TLS listener of ours")
    tls = kafka_cluster.server.connection(tls=True)
    topic = f"koos-tls-{uuid.uuid4().hex[:8]}"
    await create_topic(tls, topic)
    await produce(tls, topic, ["über TLS"])
    received, _ = await consume_and_commit(tls, topic, f"group-{topic}", 1)
    assert received == ["über TLS"]
    other_ca = TlsFiles(tmp_path / "other-ca")
    other_ca.ensure("127.0.0.1")
    for stranger in (replace(tls, password="not-the-password"), replace(tls, ca_file=str(other_ca.ca_file)),
                     replace(kafka_cluster.admin, security_protocol="PLAINTEXT")):
        with pytest.raises((KafkaError, OSError)):
            await create_topic(stranger, f"{topic}-stranger")


def test_smtp_stores_non_ascii_mail(smtp_server: SmtpEndpoint) -> None:
    token = uuid.uuid4().hex[:8]
    message = EmailMessage()
    message["From"] = "Jüri Õunapuu <juri@example.ee>"
    message["To"] = "Åse Ødegård <ase@example.no>"
    message["Subject"] = f"Tere {SHORT_LETTERS} {token}"
    message["Message-ID"] = make_msgid(domain="koos.test")
    message["Date"] = formatdate(localtime=True)
    message.set_content(f"Tere! {LETTERS}\n")
    with smtplib.SMTP(smtp_server.host, smtp_server.port, timeout=10) as client:
        client.send_message(message)
    [summary] = [mail for mail in list_messages(smtp_server.maildir) if token in mail.subject]
    assert summary.subject == f"Tere {SHORT_LETTERS} {token}"
    assert summary.sender == "Jüri Õunapuu <juri@example.ee>"
    assert summary.to == "Åse Ødegård <ase@example.no>"
    assert summary.message_id == message["Message-ID"]
    assert summary.received_at is not None and summary.date is not None
    body = read_message(smtp_server.maildir, summary.key).get_body(("plain",))
    assert body is not None and LETTERS in body.get_content()


def test_list_messages_of_a_missing_maildir_is_empty(tmp_path: Path) -> None:
    assert list_messages(tmp_path / "nothing-here") == []
