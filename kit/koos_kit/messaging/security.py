"""How a Koos client reaches Kafka: protocol, SASL mechanism, credentials, CA; one place for every client."""

import ssl
from dataclasses import dataclass, field
from typing import Any, Literal

from aiokafka.helpers import create_ssl_context
from faststream.security import BaseSecurity, SASLPlaintext, SASLScram256, SASLScram512

SecurityProtocol = Literal["PLAINTEXT", "SASL_PLAINTEXT", "SASL_SSL", "SSL"]
SaslMechanism = Literal["SCRAM-SHA-512", "SCRAM-SHA-256", "PLAIN"]

_SASL_SECURITY: dict[str, type[SASLPlaintext] | type[SASLScram256] | type[SASLScram512]] = {
    "PLAIN": SASLPlaintext,
    "SCRAM-SHA-256": SASLScram256,
    "SCRAM-SHA-512": SASLScram512,
}


@dataclass(frozen=True)
class KafkaConnection:
    """Where the cluster is, how to authenticate to it, and how its topics are replicated."""

    bootstrap: str
    security_protocol: SecurityProtocol = "PLAINTEXT"
    sasl_mechanism: SaslMechanism = "SCRAM-SHA-512"
    username: str = ""
    password: str = field(default="", repr=False)
    ca_file: str = ""
    replication_factor: int = 1
    min_insync_replicas: int = 1

    @property
    def uses_sasl(self) -> bool:
        return self.security_protocol.startswith("SASL_")

    @property
    def uses_tls(self) -> bool:
        return self.security_protocol in ("SSL", "SASL_SSL")

    def environment(self) -> dict[str, str]:
        """The KOOS_KAFKA_* variables a service reads to connect the same way."""
        names = {"bootstrap": self.bootstrap, "security_protocol": self.security_protocol,
                 "sasl_mechanism": self.sasl_mechanism, "username": self.username, "password": self.password,
                 "ca_file": self.ca_file, "replication_factor": str(self.replication_factor),
                 "min_insync_replicas": str(self.min_insync_replicas)}
        return {f"KOOS_KAFKA_{name.upper()}": value for name, value in names.items()}


def ssl_context(connection: KafkaConnection) -> ssl.SSLContext | None:
    """The TLS context (the CA file's, or the system's CAs), or None without TLS."""
    if not connection.uses_tls:
        return None
    if connection.ca_file:
        context: ssl.SSLContext = create_ssl_context(cafile=connection.ca_file)
        return context
    return ssl.create_default_context()


def aiokafka_options(connection: KafkaConnection) -> dict[str, Any]:
    """Keyword arguments for AIOKafkaProducer, AIOKafkaConsumer and AIOKafkaAdminClient."""
    _require_credentials(connection)
    options: dict[str, Any] = {"bootstrap_servers": connection.bootstrap,
                               "security_protocol": connection.security_protocol}
    if connection.uses_tls:
        options["ssl_context"] = ssl_context(connection)
    if connection.uses_sasl:
        options.update(sasl_mechanism=connection.sasl_mechanism, sasl_plain_username=connection.username,
                       sasl_plain_password=connection.password)
    return options


def faststream_security(connection: KafkaConnection) -> BaseSecurity | None:
    """The `security=` of FastStream's KafkaBroker for the same settings."""
    _require_credentials(connection)
    context = ssl_context(connection)
    if connection.uses_sasl:
        security = _SASL_SECURITY[connection.sasl_mechanism]
        return security(connection.username, connection.password, ssl_context=context,
                        use_ssl=connection.uses_tls)
    if connection.uses_tls:
        return BaseSecurity(ssl_context=context, use_ssl=True)
    return None


def _require_credentials(connection: KafkaConnection) -> None:
    if connection.uses_sasl and not (connection.username and connection.password):
        raise ValueError(f"KOOS_KAFKA_USERNAME and KOOS_KAFKA_PASSWORD are required with "
                         f"KOOS_KAFKA_SECURITY_PROTOCOL={connection.security_protocol}")
