"""Apache Kafka in KRaft mode: one node that is both broker and controller, with SASL/SCRAM and ACLs.

Clients authenticate with SCRAM-SHA-512 on the client listener (plain TCP) and on a TLS listener
(certificates of a CA made for the state dir); the StandardAuthorizer denies whatever no ACL allows.
"""

from __future__ import annotations

import base64
import shutil
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
from koos_cli.servers.kafka_config import server_properties
from koos_cli.servers.kafka_credentials import ADMIN, Credentials
from koos_cli.servers.kafka_tls import TlsFiles
from koos_cli.servers.readiness import port_open, run_coroutine
from koos_cli.servers.settings import INFRA_DIR
from koos_kit.messaging.security import KafkaConnection, aiokafka_options

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
        """The bootstrap servers string for clients (SASL over plain TCP)."""
        return f"{self.settings.host}:{self.settings.kafka_port}"

    @property
    def tls_bootstrap(self) -> str:
        """The bootstrap servers string for clients over TLS (SASL_SSL)."""
        return f"{self.settings.host}:{self.settings.kafka_tls_port}"

    @property
    def credentials(self) -> Credentials:
        """The passwords of this broker's SASL users."""
        return Credentials(self.home / "credentials")

    @property
    def tls(self) -> TlsFiles:
        """The CA and the broker's keystore."""
        return TlsFiles(self.home / "tls")

    def connection(self, user: str = ADMIN, *, tls: bool = False) -> KafkaConnection:
        """How user connects (the operator's admin unless named), over TLS or not."""
        if tls:
            return KafkaConnection(self.tls_bootstrap, "SASL_SSL", "SCRAM-SHA-512", user,
                                   self.credentials.password(user), str(self.tls.ca_file))
        return KafkaConnection(self.bootstrap, "SASL_PLAINTEXT", "SCRAM-SHA-512", user,
                               self.credentials.password(user))

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
        """The client, controller and TLS ports."""
        return (self.settings.kafka_port, self.settings.kafka_controller_port, self.settings.kafka_tls_port)

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
        """Write the TLS files and server.properties; format the storage unless it is formatted for SASL."""
        super().prepare(progress)
        self.tls.ensure(self.settings.host)
        self.config_file.write_text(server_properties(self.settings, self.data_dir, self.credentials,
                                                      self.tls.keystore))
        self.config_file.chmod(0o600)
        if not self._secured_marker.exists() and (self.data_dir / "meta.properties").exists():
            if progress:
                progress(f"kafka: {self.data_dir} was formatted without SASL users; formatting it anew")
            shutil.rmtree(self.data_dir)
            self.data_dir.mkdir(parents=True)
        if not (self.data_dir / "meta.properties").exists():
            if progress:
                progress(f"kafka: formatting storage in {self.data_dir}")
            self._format_storage()
            self._secured_marker.write_text("SCRAM-SHA-512 admin added at format\n")

    @property
    def _secured_marker(self) -> Path:
        return self.home / "sasl-formatted"

    def command(self) -> Sequence[str]:
        """java ... kafka.Kafka server.properties."""
        return [*self._java(), "kafka.Kafka", str(self.config_file)]

    def check_health(self) -> bool:
        """A Kafka admin client can connect and list topics."""
        if not port_open(self.settings.host, self.settings.kafka_port):
            return False
        try:
            run_coroutine(lambda: list_topics(self.connection()))
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
            "--add-scram",
            f"SCRAM-SHA-512=[name={ADMIN},password={self.credentials.password(ADMIN)}]",
        ]
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise StartError(f"kafka: formatting {self.data_dir} failed:\n{result.stdout}{result.stderr}")

    def _cluster_id(self) -> str:
        id_file = self.home / "cluster.id"
        if not id_file.exists():
            id_file.write_text(new_cluster_id())
        return id_file.read_text().strip()


async def list_topics(connection: KafkaConnection) -> list[str]:
    """List the topics of the cluster (those the connection's user may see)."""
    admin = AIOKafkaAdminClient(**aiokafka_options(connection), request_timeout_ms=5000)
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


def _inputs() -> list[Path]:
    return [KAFKA_INFRA / "pom.xml"]


def _copy_jars(target: Path) -> None:
    run_maven(
        KAFKA_INFRA / "pom.xml",
        ["dependency:copy-dependencies", f"-DoutputDirectory={target / 'libs'}"],
    )
