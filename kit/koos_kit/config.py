"""Settings shared by every service; each service subclasses them once."""

from typing import Literal

from pydantic_settings import BaseSettings, SettingsConfigDict


class ServiceSettings(BaseSettings):
    """What every Koos service reads from its environment (prefix `KOOS_`)."""

    model_config = SettingsConfigDict(env_prefix="KOOS_", extra="ignore", frozen=True)

    service_name: str = "koos"
    kafka_bootstrap: str = "127.0.0.1:19092"
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

    @property
    def source(self) -> str:
        """The CloudEvents `source` of what this service publishes."""
        return f"/koos/{self.service_name}"

    @property
    def consumer_group(self) -> str:
        """The Kafka consumer group of this service."""
        return f"{self.topic_prefix}koos-{self.service_name}"
