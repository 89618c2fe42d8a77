"""server.properties of the one-node dev cluster: SASL/SCRAM listeners, TLS, the ACL authorizer."""

from __future__ import annotations

from pathlib import Path

from koos_cli.servers.kafka_credentials import ADMIN, CONTROLLER, Credentials
from koos_cli.servers.settings import ServerSettings

SCRAM = "org.apache.kafka.common.security.scram.ScramLoginModule required"
PLAIN = "org.apache.kafka.common.security.plain.PlainLoginModule required"


def server_properties(settings: ServerSettings, data_dir: Path, credentials: Credentials, keystore: Path) -> str:
    """The broker configuration; it holds passwords, so it is written with mode 0600."""
    properties = {**_node(settings, data_dir), **_security(credentials, keystore), **_internal_topics()}
    return "".join(f"{key}={value}\n" for key, value in properties.items())


def _node(settings: ServerSettings, data_dir: Path) -> dict[str, str]:
    host = settings.host
    client = f"SASL_PLAINTEXT://{host}:{settings.kafka_port},SASL_SSL://{host}:{settings.kafka_tls_port}"
    return {
        "process.roles": "broker,controller",
        "node.id": "1",
        "controller.quorum.voters": f"1@{host}:{settings.kafka_controller_port}",
        "listeners": f"{client},CONTROLLER://{host}:{settings.kafka_controller_port}",
        "advertised.listeners": client,
        "controller.listener.names": "CONTROLLER",
        "inter.broker.listener.name": "SASL_PLAINTEXT",
        "listener.security.protocol.map": "SASL_PLAINTEXT:SASL_PLAINTEXT,SASL_SSL:SASL_SSL,CONTROLLER:SASL_PLAINTEXT",
        "log.dirs": str(data_dir),
        "num.partitions": "3",
        "auto.create.topics.enable": "false",
        "group.initial.rebalance.delay.ms": "0",
        "broker.heartbeat.interval.ms": "500",
        "broker.session.timeout.ms": "3000",
    }


def _security(credentials: Credentials, keystore: Path) -> dict[str, str]:
    admin, controller = credentials.password(ADMIN), credentials.password(CONTROLLER)
    return {
        "sasl.enabled.mechanisms": "SCRAM-SHA-512",
        "sasl.mechanism.inter.broker.protocol": "SCRAM-SHA-512",
        "listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config":
            f'{SCRAM} username="{ADMIN}" password="{admin}";',
        "listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config": f"{SCRAM};",
        "listener.name.sasl_ssl.ssl.keystore.type": "PEM",
        "listener.name.sasl_ssl.ssl.keystore.location": str(keystore),
        "sasl.mechanism.controller.protocol": "PLAIN",
        "listener.name.controller.sasl.enabled.mechanisms": "PLAIN",
        "listener.name.controller.plain.sasl.jaas.config":
            f'{PLAIN} username="{CONTROLLER}" password="{controller}" user_{CONTROLLER}="{controller}";',
        "authorizer.class.name": "org.apache.kafka.metadata.authorizer.StandardAuthorizer",
        "super.users": f"User:{ADMIN};User:{CONTROLLER}",
        "allow.everyone.if.no.acl.found": "false",
    }


def _internal_topics() -> dict[str, str]:
    return {
        "offsets.topic.replication.factor": "1",
        "offsets.topic.num.partitions": "10",
        "transaction.state.log.replication.factor": "1",
        "transaction.state.log.min.isr": "1",
        "transaction.state.log.num.partitions": "10",
        "share.coordinator.state.topic.replication.factor": "1",
        "share.coordinator.state.topic.min.isr": "1",
    }
