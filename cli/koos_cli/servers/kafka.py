"""Apache Kafka in KRaft mode: one node that is both broker and controller."""

from __future__ import annotations

import base64
import subprocess
import uuid
from collections.abc import Sequence
from pathlib import Path

from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.errors import KafkaError

from koos_cli.servers.base import DevServer, Progress
from koos_cli.servers.errors import StartError
from koos_cli.servers.installer import ensure_built, fingerprint, run_maven
from koos_cli.servers.java import java_executable
from koos_cli.servers.readiness import port_open, run_coroutine
from koos_cli.servers.settings import INFRA_DIR

KAFKA_VERSION = "4.1.1"
KAFKA_INFRA = INFRA_DIR / "kafka"
JVM_OPTIONS = (
    "-Xms256m",
    "-Xmx512m",
    "-XX:+UseG1GC",
    "-XX:MaxGCPauseMillis=20",
    "-Djava.awt.headless=true",
)


class KafkaServer(DevServer):
    """A single-node Kafka broker and controller on 127.0.0.1."""

    name = "kafka"
    ready_timeout = 120.0

    @property
    def bootstrap(self) -> str:
        """The bootstrap servers string for clients."""
        return f"{self.settings.host}:{self.settings.kafka_port}"

    @property
    def address(self) -> str:
        """Where clients connect."""
        return self.bootstrap

    @property
    def version(self) -> str:
        """Kafka's version and mode."""
        return f"Kafka {KAFKA_VERSION} KRaft"

    @property
    def log_file(self) -> Path:
        """The broker's log4j log."""
        return self.logs_dir / "server.log"

    @property
    def config_file(self) -> Path:
        """The server.properties written before each start."""
        return self.home / "server.properties"

    @property
    def libs_dir(self) -> Path:
        """The cached Kafka jars."""
        return self.settings.cache_dir / f"kafka-{KAFKA_VERSION}" / "libs"

    def ports(self) -> tuple[int, ...]:
        """The client and controller ports."""
        return (self.settings.kafka_port, self.settings.kafka_controller_port)

    def marker(self) -> str:
        """The config path, unique to this state dir."""
        return str(self.config_file)

    def install(self, progress: Progress | None = None) -> None:
        """Copy the Kafka jars from Maven into the cache, once."""

        def build(target: Path) -> None:
            if progress:
                progress(f"kafka: fetching Kafka {KAFKA_VERSION} jars with Maven into {target} (first run only)")
            _copy_jars(target)

        ensure_built(self.libs_dir.parent, fingerprint(_inputs(), KAFKA_INFRA), build)

    def prepare(self, progress: Progress | None = None) -> None:
        """Write server.properties and format the storage unless it is formatted already."""
        super().prepare(progress)
        self.config_file.write_text(server_properties(self))
        if not (self.data_dir / "meta.properties").exists():
            if progress:
                progress(f"kafka: formatting storage in {self.data_dir}")
            self._format_storage()

    def command(self) -> Sequence[str]:
        """java ... kafka.Kafka server.properties."""
        return [*self._java(), "kafka.Kafka", str(self.config_file)]

    def check_health(self) -> bool:
        """A Kafka admin client can connect and list topics."""
        if not port_open(self.settings.host, self.settings.kafka_port):
            return False
        try:
            run_coroutine(lambda: list_topics(self.bootstrap))
        except (KafkaError, OSError, TimeoutError):
            return False
        return True

    def _java(self) -> list[str]:
        return [
            java_executable(),
            *JVM_OPTIONS,
            f"-Dlog4j2.configurationFile={KAFKA_INFRA / 'log4j2.xml'}",
            f"-Dkafka.logs.dir={self.logs_dir}",
            "-cp",
            f"{self.libs_dir}/*",
        ]

    def _format_storage(self) -> None:
        command = [
            *self._java(),
            "kafka.tools.StorageTool",
            "format",
            "-t",
            self._cluster_id(),
            "-c",
            str(self.config_file),
        ]
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise StartError(f"kafka: formatting {self.data_dir} failed:\n{result.stdout}{result.stderr}")

    def _cluster_id(self) -> str:
        id_file = self.home / "cluster.id"
        if not id_file.exists():
            id_file.write_text(new_cluster_id())
        return id_file.read_text().strip()


async def list_topics(bootstrap: str) -> list[str]:
    """List the topics of the cluster at bootstrap."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=5000)
    await admin.start()
    try:
        return list(await admin.list_topics())
    finally:
        await admin.close()


def new_cluster_id() -> str:
    """A random Kafka cluster id (URL-safe base64 of 16 bytes, never starting with '-')."""
    while True:
        cluster_id = base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")
        if not cluster_id.startswith("-"):
            return cluster_id


def server_properties(server: KafkaServer) -> str:
    """The broker configuration for a one-node KRaft cluster."""
    host, port, controller_port = (
        server.settings.host,
        server.settings.kafka_port,
        server.settings.kafka_controller_port,
    )
    settings = {
        "process.roles": "broker,controller",
        "node.id": "1",
        "controller.quorum.voters": f"1@{host}:{controller_port}",
        "listeners": f"PLAINTEXT://{host}:{port},CONTROLLER://{host}:{controller_port}",
        "advertised.listeners": f"PLAINTEXT://{host}:{port}",
        "controller.listener.names": "CONTROLLER",
        "inter.broker.listener.name": "PLAINTEXT",
        "listener.security.protocol.map": "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
        "log.dirs": str(server.data_dir),
        "num.partitions": "3",
        "auto.create.topics.enable": "false",
        "group.initial.rebalance.delay.ms": "0",
        "broker.heartbeat.interval.ms": "500",
        "broker.session.timeout.ms": "3000",
        "offsets.topic.replication.factor": "1",
        "offsets.topic.num.partitions": "10",
        "transaction.state.log.replication.factor": "1",
        "transaction.state.log.min.isr": "1",
        "transaction.state.log.num.partitions": "10",
        "share.coordinator.state.topic.replication.factor": "1",
        "share.coordinator.state.topic.min.isr": "1",
    }
    return "".join(f"{key}={value}\n" for key, value in settings.items())


def _inputs() -> list[Path]:
    return [KAFKA_INFRA / "pom.xml"]


def _copy_jars(target: Path) -> None:
    run_maven(
        KAFKA_INFRA / "pom.xml",
        ["dependency:copy-dependencies", f"-DoutputDirectory={target / 'libs'}"],
    )
