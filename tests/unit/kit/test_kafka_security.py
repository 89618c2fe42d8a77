"""The kit's Kafka settings become the same client options for aiokafka and FastStream."""

import ssl
from pathlib import Path

import pytest
from faststream.security import SASLScram256, SASLScram512

from koos_cli.servers.kafka_tls import TlsFiles
from koos_kit.config import ServiceSettings
from koos_kit.messaging.security import KafkaConnection, aiokafka_options, faststream_security


def test_plaintext_needs_nothing_but_the_bootstrap_servers() -> None:
    connection = ServiceSettings(kafka_bootstrap="kafka:9092").kafka

    assert aiokafka_options(connection) == {"bootstrap_servers": "kafka:9092", "security_protocol": "PLAINTEXT"}
    assert faststream_security(connection) is None


def test_scram_over_tls_carries_the_credentials_and_trusts_the_given_ca(tmp_path: Path) -> None:
    tls = TlsFiles(tmp_path)
    tls.ensure("127.0.0.1")
    settings = ServiceSettings(kafka_bootstrap="kafka:9093", kafka_security_protocol="SASL_SSL",
                               kafka_username="koos-gateway", kafka_password="s3cret", kafka_ca_file=str(tls.ca_file))

    options = aiokafka_options(settings.kafka)
    security = faststream_security(settings.kafka)

    assert options["security_protocol"] == "SASL_SSL" and options["sasl_mechanism"] == "SCRAM-SHA-512"
    assert (options["sasl_plain_username"], options["sasl_plain_password"]) == ("koos-gateway", "s3cret")
    assert isinstance(options["ssl_context"], ssl.SSLContext) and options["ssl_context"].get_ca_certs()
    assert isinstance(security, SASLScram512) and security.use_ssl and security.ssl_context is not None
    assert "s3cret" not in repr(settings) and "s3cret" not in repr(settings.kafka)


def test_the_mechanism_is_a_setting() -> None:
    connection = KafkaConnection("kafka:9092", "SASL_PLAINTEXT", "SCRAM-SHA-256", "koos-scheduling", "pw")

    assert isinstance(faststream_security(connection), SASLScram256)
    assert not faststream_security(connection).use_ssl  # type: ignore[union-attr]


def test_sasl_without_credentials_is_refused_with_the_settings_named() -> None:
    with pytest.raises(ValueError, match="KOOS_KAFKA_USERNAME and KOOS_KAFKA_PASSWORD"):
        aiokafka_options(KafkaConnection("kafka:9092", "SASL_SSL"))


def test_replication_comes_from_the_settings_and_a_connection_travels_as_environment() -> None:
    settings = ServiceSettings(kafka_replication_factor=3, kafka_min_insync_replicas=2)
    again = ServiceSettings.model_validate({k.removeprefix("KOOS_").lower(): v
                                            for k, v in settings.kafka.environment().items()})

    assert (settings.kafka.replication_factor, settings.kafka.min_insync_replicas) == (3, 2)
    assert again.kafka == settings.kafka


def test_topics_are_created_with_the_replication_and_min_in_sync_replicas_of_the_settings() -> None:
    from koos_kit.messaging.topics import wanted_topics

    topics = wanted_topics(ServiceSettings(kafka_replication_factor=3, kafka_min_insync_replicas=2).kafka, "t1.")

    assert {t.replication_factor for t in topics} == {3}
    assert {t.topic_configs["min.insync.replicas"] for t in topics} == {"2"}
    assert all(t.name.startswith("t1.koos.") for t in topics)
