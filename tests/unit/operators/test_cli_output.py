"""What `koos` prints: tables for people, JSON for scripts, and one line with an exit code when something fails."""

import json
import mailbox
import ssl
from email.message import EmailMessage
from pathlib import Path

import pytest
from aiokafka.errors import KafkaConnectionError, SaslAuthenticationFailed, TopicAuthorizationFailedError
from typer.testing import CliRunner

from koos_cli.failures import ExitCode, NotFound, explain
from koos_cli.main import app
from koos_cli.servers import Servers
from tests.fixtures.servers import free_ports, isolated_settings

runner = CliRunner()


@pytest.fixture
def state_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A state dir of its own, with ports nobody uses, and no Kafka settings inherited."""
    settings = isolated_settings(tmp_path / "state")
    for name in ("KOOS_KAFKA_BOOTSTRAP", "KOOS_KAFKA_USERNAME", "KOOS_PROFILE", "KOOS_TOPIC_PREFIX"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("KOOS_STATE_DIR", str(settings.state_dir))
    monkeypatch.delenv("KOOS_CONFIG", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    for name, port in (("KOOS_KAFKA_PORT", settings.kafka_port), ("KOOS_MONGO_PORT", settings.mongo_port),
                       ("KOOS_SMTP_PORT", settings.smtp_port), ("KOOS_SMTP_API_PORT", settings.smtp_api_port)):
        monkeypatch.setenv(name, str(port))
    return settings.state_dir


def test_status_as_json_lists_every_server_and_service_with_its_state(state_dir: Path) -> None:
    result = runner.invoke(app, ["-o", "json", "status"])

    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    components = {row["component"]: row for row in rows}
    assert {"kafka", "mongo", "smtp", "registration", "gateway"} <= components.keys()
    assert {row["state"] for row in rows} == {"stopped"}
    assert all(row["pid"] is None and row["log"] for row in rows)


def test_the_mailbox_as_json_gives_each_mails_recipient_subject_and_message_id(state_dir: Path) -> None:
    maildir = Servers.from_env().smtp.maildir
    maildir.parent.mkdir(parents=True)
    message = EmailMessage()
    message["To"], message["Subject"], message["Message-ID"] = "kari@example.org", "Velkommen", "<m1@koos.example>"
    message.set_content("Hei")
    mailbox.Maildir(maildir, create=True).add(message)

    table = runner.invoke(app, ["mail"])
    listed = runner.invoke(app, ["mail", "-o", "json"])

    assert "Velkommen" in table.stdout
    (mail,) = json.loads(listed.stdout)
    assert (mail["to"], mail["subject"], mail["message_id"]) == ("kari@example.org", "Velkommen", "<m1@koos.example>")


def test_a_cluster_nobody_listens_at_is_one_line_and_exit_code_3(state_dir: Path) -> None:
    (port,) = free_ports(1)
    result = runner.invoke(app, ["-b", f"127.0.0.1:{port}", "topics"])

    assert result.exit_code == ExitCode.UNREACHABLE
    assert result.stderr.strip().splitlines() == [f"koos: cannot reach Kafka at 127.0.0.1:{port}: "
                                                  f"Connect call failed ('127.0.0.1', {port})"]
    assert "Traceback" not in result.output


def test_no_local_dev_broker_says_how_to_start_one_or_name_a_cluster(state_dir: Path) -> None:
    result = runner.invoke(app, ["lag"])

    assert result.exit_code == ExitCode.UNREACHABLE
    assert "no local dev broker" in result.stderr and "--bootstrap-server or --profile" in result.stderr


def test_a_profile_that_does_not_exist_is_a_usage_error_in_one_line(state_dir: Path) -> None:
    result = runner.invoke(app, ["--profile", "prod", "lag"])

    assert result.exit_code == ExitCode.USAGE
    assert result.stderr.strip() == "koos: no profile 'prod' (profiles: local)"


def test_purge_needs_to_be_told_what_to_delete(state_dir: Path) -> None:
    result = runner.invoke(app, ["-b", "127.0.0.1:1", "dlq", "purge", "koos.registration.commands.v1"])

    assert result.exit_code == ExitCode.USAGE and "--before OFFSET or --all" in result.stderr


def test_a_replay_into_a_service_that_does_not_consume_the_topic_is_refused_before_connecting(state_dir: Path) -> None:
    result = runner.invoke(app, ["-b", "127.0.0.1:1", "replay", "koos.registration.commands.v1", "--into", "gateway"])

    assert result.exit_code == ExitCode.USAGE
    assert "gateway does not consume koos.registration.commands.v1" in result.stderr


def test_credentials_the_broker_refused_are_exit_code_4_whatever_the_client_raised() -> None:
    refused = SaslAuthenticationFailed("Authentication failed during authentication due to invalid credentials")

    failure = explain(KafkaConnectionError("Unable to bootstrap from [...]"), "kafka:9092", [refused])

    assert failure.code == ExitCode.REFUSED
    assert str(failure).startswith("Kafka at kafka:9092 refused the credentials: Authentication failed")


def test_a_broker_certificate_no_ca_vouches_for_asks_for_the_ca_file() -> None:
    unverified = ssl.SSLCertVerificationError(1, "certificate verify failed")
    unverified.verify_message = "self-signed certificate in certificate chain"

    failure = explain(KafkaConnectionError("Unable to bootstrap"), "kafka:9093", [unverified])

    assert failure.code == ExitCode.UNREACHABLE
    assert str(failure) == ("TLS with Kafka at kafka:9093 failed: self-signed certificate in certificate chain "
                            "(the cluster's CA: --ca-file)")


def test_a_missing_acl_and_a_missing_topic_have_their_own_exit_codes() -> None:
    assert explain(TopicAuthorizationFailedError(), "k", []).code == ExitCode.REFUSED
    assert explain(NotFound("topic x does not exist"), "k", []).code == ExitCode.NOT_FOUND
