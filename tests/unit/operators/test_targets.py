"""Which cluster `koos` talks to: the command line, a profile, the environment, or the local dev broker."""

import re
from pathlib import Path

import pytest

from koos_cli.failures import ConfigError
from koos_cli.target import ClusterOptions, Target, resolve
from koos_kit.messaging.security import KafkaConnection

LOCAL = KafkaConnection("127.0.0.1:19092", "SASL_PLAINTEXT", "SCRAM-SHA-512", "koos-admin", "local-secret")


def local() -> KafkaConnection:
    return LOCAL


def never_local() -> KafkaConnection:
    raise AssertionError("the local dev broker's credentials were used")


@pytest.fixture
def profiles(tmp_path: Path) -> Path:
    (tmp_path / "staging.password").write_text("staging-secret\n")
    (tmp_path / "ca.pem").write_text("-----BEGIN CERTIFICATE-----\n")
    path = tmp_path / "profiles.toml"
    path.write_text(f"""
[profiles.staging]
bootstrap_server = "kafka-0.staging.example:9093,kafka-1.staging.example:9093"
username = "ops-admin"
password_file = "{tmp_path / 'staging.password'}"
ca_file = "{tmp_path / 'ca.pem'}"
topic_prefix = "staging."

[profiles.plain]
bootstrap_server = "kafka.lab.example:9092"
security_protocol = "PLAINTEXT"
""")
    return path


def test_without_options_koos_talks_to_the_local_dev_broker_as_its_admin() -> None:
    target = resolve(ClusterOptions(), {}, local)

    assert target.connection == LOCAL and target.local and target.topic_prefix == ""


def test_a_bootstrap_server_on_the_command_line_never_gets_the_local_admin_password() -> None:
    target = resolve(ClusterOptions(bootstrap_server="kafka.example:9092"), {}, never_local)

    assert target.connection.bootstrap == "kafka.example:9092"
    assert target.connection.security_protocol == "PLAINTEXT" and target.connection.password == ""


def test_a_user_on_the_command_line_means_sasl_and_a_ca_file_means_tls(tmp_path: Path) -> None:
    password = tmp_path / "pw"
    password.write_text("s3cret\n")
    ca = tmp_path / "ca.pem"
    ca.write_text("pem")
    plain = resolve(ClusterOptions(bootstrap_server="k:9092", username="ops", password_file=str(password)), {},
                    never_local)
    tls = resolve(ClusterOptions(bootstrap_server="k:9093", username="ops", password="x", ca_file=str(ca)), {},
                  never_local)

    assert (plain.connection.security_protocol, plain.connection.password) == ("SASL_PLAINTEXT", "s3cret")
    assert (tls.connection.security_protocol, tls.connection.ca_file) == ("SASL_SSL", str(ca))


def test_a_profile_gives_the_cluster_the_credentials_from_its_password_file_and_the_namespace(
        profiles: Path) -> None:
    target = resolve(ClusterOptions(profile="staging", config=str(profiles)), {}, never_local)

    connection = target.connection
    assert connection.bootstrap == "kafka-0.staging.example:9093,kafka-1.staging.example:9093"
    assert (connection.security_protocol, connection.username, connection.password) == (
        "SASL_SSL", "ops-admin", "staging-secret")
    assert target.topic_prefix == "staging." and target.origin == "profile staging"


def test_options_on_the_command_line_override_single_settings_of_the_profile(profiles: Path) -> None:
    options = ClusterOptions(profile="staging", config=str(profiles), username="someone-else", password="theirs",
                             topic_prefix="")
    target = resolve(options, {}, never_local)

    assert (target.connection.username, target.connection.password) == ("someone-else", "theirs")
    assert target.connection.bootstrap.startswith("kafka-0.staging") and target.topic_prefix == ""


def test_koos_profile_and_koos_config_in_the_environment_choose_the_profile(profiles: Path) -> None:
    target = resolve(ClusterOptions(), {"KOOS_PROFILE": "plain", "KOOS_CONFIG": str(profiles)}, never_local)

    assert target.connection == KafkaConnection("kafka.lab.example:9092", "PLAINTEXT")


def test_the_files_default_profile_applies_unless_local_is_asked_for(profiles: Path) -> None:
    profiles.write_text('default = "plain"\n' + profiles.read_text())

    chosen = resolve(ClusterOptions(config=str(profiles)), {}, never_local)
    asked = resolve(ClusterOptions(config=str(profiles), profile="local"), {}, local)

    assert chosen.connection.bootstrap == "kafka.lab.example:9092"
    assert asked.connection == LOCAL


def test_the_services_environment_is_used_when_no_profile_or_option_names_a_cluster() -> None:
    environ = {"KOOS_KAFKA_BOOTSTRAP": "kafka:9092", "KOOS_KAFKA_SECURITY_PROTOCOL": "SASL_PLAINTEXT",
               "KOOS_KAFKA_USERNAME": "koos-admin", "KOOS_KAFKA_PASSWORD": "env-secret", "KOOS_TOPIC_PREFIX": "t1."}
    target = resolve(ClusterOptions(), environ, never_local)

    assert target.connection == KafkaConnection("kafka:9092", "SASL_PLAINTEXT", "SCRAM-SHA-512", "koos-admin",
                                                "env-secret")
    assert target.topic_prefix == "t1." and target.origin == "KOOS_KAFKA_* environment"


def test_the_topic_prefix_of_the_command_line_wins_over_the_profile_and_the_environment(profiles: Path) -> None:
    options = ClusterOptions(profile="staging", config=str(profiles), topic_prefix="mine.")

    assert resolve(options, {"KOOS_TOPIC_PREFIX": "env."}, never_local).topic_prefix == "mine."


@pytest.mark.parametrize(("options", "message"), [
    (ClusterOptions(profile="prod"), "no profile 'prod' (profiles: local, plain, staging)"),
    (ClusterOptions(bootstrap_server="k:1", security_protocol="SASL_SSL"), "SASL_SSL needs a user name and a password"),
    (ClusterOptions(bootstrap_server="k:1", security_protocol="TLS"), "unknown security protocol 'TLS'"),
    (ClusterOptions(bootstrap_server="k:1", sasl_mechanism="GSSAPI", username="u", password="p"),
     "unknown SASL mechanism 'GSSAPI'"),
    (ClusterOptions(bootstrap_server="k:1", username="u", password_file="/nonexistent/pw"),
     "cannot read the password file /nonexistent/pw"),
    (ClusterOptions(bootstrap_server="k:1", ca_file="/nonexistent/ca.pem"), "the CA file /nonexistent/ca.pem"),
])
def test_a_wrong_setting_is_refused_with_a_sentence_saying_which(profiles: Path, options: ClusterOptions,
                                                                  message: str) -> None:
    options = ClusterOptions(**{**options.__dict__, "config": str(profiles)})

    with pytest.raises(ConfigError, match="^" + re.escape(message)):
        resolve(options, {}, never_local)


def test_a_profile_with_a_misspelt_setting_is_refused_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "profiles.toml"
    path.write_text('[profiles.x]\nbootstrap = "k:9092"\n')

    with pytest.raises(ConfigError, match=r"profile x .* unknown settings: bootstrap"):
        resolve(ClusterOptions(profile="x", config=str(path)), {}, never_local)


def test_a_config_file_that_is_named_but_missing_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        resolve(ClusterOptions(config=str(tmp_path / "nope.toml")), {}, local)


def test_topic_names_get_the_namespace_prefix_unless_they_carry_it() -> None:
    target = Target(LOCAL, "t1.", "test")

    assert target.topic("koos.registration.commands.v1") == "t1.koos.registration.commands.v1"
    assert target.topic("t1.koos.registration.commands.v1") == "t1.koos.registration.commands.v1"
