"""Settings shared by every service; each service subclasses them once."""

from typing import Literal

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from koos_kit.messaging.security import KafkaConnection, SaslMechanism, SecurityProtocol
from koos_kit.secrets import Secret, problems_of

Environment = Literal["development", "production"]
DEVELOPMENT_PRIVACY_KEK = "koos-development-privacy-kek-not-for-production"
"""Wraps the people's data keys in development mode when KOOS_PRIVACY_KEK is not set; refused anywhere else."""


class ServiceSettings(BaseSettings):
    """What every Koos service reads from its environment (prefix `KOOS_`)."""

    model_config = SettingsConfigDict(env_prefix="KOOS_", extra="ignore", frozen=True)

    service_name: str = "koos"
    environment: Environment = "production"
    """`development` lets a service run with development defaults; anything else must be given its secrets."""
    kafka_bootstrap: str = "127.0.0.1:19092"
    kafka_security_protocol: SecurityProtocol = "PLAINTEXT"
    kafka_sasl_mechanism: SaslMechanism = "SCRAM-SHA-512"
    kafka_username: str = ""
    kafka_password: str = Field(default="", repr=False)
    kafka_ca_file: str = ""
    kafka_replication_factor: int = Field(default=1, ge=1)
    kafka_min_insync_replicas: int = Field(default=1, ge=1)
    topic_prefix: str = ""
    mongo_url: str = "mongodb://127.0.0.1:27217"
    mongo_database: str = "koos"
    http_host: str = "127.0.0.1"
    http_port: int = 8100
    log_level: str = "INFO"
    log_format: Literal["auto", "json", "console"] = "auto"
    handler_attempts: int = 3
    retry_backoff_seconds: float = 0.5
    outbox_poll_seconds: float = 2.0
    outbox_grace_seconds: float = 5.0
    kafka_linger_ms: int = 5
    consumer_batch_records: int = 200
    consumer_batch_timeout_ms: int = 50
    retry_delay_seconds: float = 2.0
    retry_max_attempts: int = 20
    metrics_sample_seconds: float = 15.0
    otel_exporter_otlp_endpoint: str = Field(
        default="", validation_alias=AliasChoices("OTEL_EXPORTER_OTLP_ENDPOINT", "KOOS_OTEL_EXPORTER_OTLP_ENDPOINT"))
    """Where traces go over OTLP/HTTP (`<endpoint>/v1/traces`); empty: tracing is off."""
    handles_personal_data: bool = False
    """Whether the service reads personal data: it keeps a key ring and needs KOOS_PRIVACY_KEK."""
    privacy_kek: str = Field(default="", repr=False)
    """The key-encryption key of the people's data keys (`koos.privacy.keys.v1`)."""
    retention_interval_seconds: float = 3600.0
    retention_overrides: dict[str, dict[str, int]] = Field(default_factory=dict)
    """Organisation -> kind of data -> days it is kept (JSON), instead of koos_contracts.inventory.RETENTION's."""

    @property
    def in_development(self) -> bool:
        """Whether development defaults are allowed (KOOS_ENVIRONMENT=development)."""
        return self.environment == "development"

    @property
    def key_encryption_key(self) -> str:
        """KOOS_PRIVACY_KEK, or the development one in development mode when none is set."""
        return self.privacy_kek or (DEVELOPMENT_PRIVACY_KEK if self.in_development else "")

    def secrets(self) -> list[Secret]:
        """The secrets this service needs; subclasses add theirs."""
        found = [Secret("KOOS_PRIVACY_KEK", self.privacy_kek)] if self.handles_personal_data else []
        if self.kafka.uses_sasl:
            found.append(Secret("KOOS_KAFKA_PASSWORD", self.kafka_password, min_bytes=16))
        return found

    def unsafe(self) -> list[str]:
        """Why these settings may not run outside development mode (empty when they may)."""
        found = problems_of(self.secrets())
        if not self.kafka.uses_sasl:
            found.insert(0, f"KOOS_KAFKA_SECURITY_PROTOCOL is {self.kafka_security_protocol}: Kafka must "
                            f"authenticate every client (SASL_SSL, or SASL_PLAINTEXT on a private network)")
        return found

    @property
    def source(self) -> str:
        """The CloudEvents `source` of what this service publishes."""
        return f"/koos/{self.service_name}"

    @property
    def consumer_group(self) -> str:
        """The Kafka consumer group of this service."""
        return f"{self.topic_prefix}koos-{self.service_name}"

    @property
    def kafka(self) -> KafkaConnection:
        """How this service reaches Kafka and how its topics are replicated."""
        return KafkaConnection(self.kafka_bootstrap, self.kafka_security_protocol, self.kafka_sasl_mechanism,
                               self.kafka_username, self.kafka_password, self.kafka_ca_file,
                               self.kafka_replication_factor, self.kafka_min_insync_replicas)
