"""Which Kafka cluster an operator's command talks to, as whom, and in which topic namespace.

The settings come from, highest first: the command line (`--bootstrap-server`, `--username`, …); a named
profile (`--profile NAME` or KOOS_PROFILE, else the file's `default`) from `--config FILE`, KOOS_CONFIG or
`~/.config/koos/profiles.toml`; the KOOS_KAFKA_* environment a service reads; and last this machine's
development broker with its admin credentials (the profile `local`). Naming a bootstrap server on the command
line starts from nothing, so the local admin password is never sent to another cluster.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any, cast, get_args

from koos_cli.failures import ConfigError
from koos_kit.messaging.security import KafkaConnection, SaslMechanism, SecurityProtocol

DEFAULT_CONFIG = Path("~/.config/koos/profiles.toml")
LOCAL = "local"
PROFILE_KEYS = frozenset({"bootstrap_server", "security_protocol", "sasl_mechanism", "username", "password",
                          "password_file", "ca_file", "topic_prefix"})
ENVIRONMENT = {"bootstrap_server": "KOOS_KAFKA_BOOTSTRAP", "security_protocol": "KOOS_KAFKA_SECURITY_PROTOCOL",
               "sasl_mechanism": "KOOS_KAFKA_SASL_MECHANISM", "username": "KOOS_KAFKA_USERNAME",
               "password": "KOOS_KAFKA_PASSWORD", "password_file": "KOOS_KAFKA_PASSWORD_FILE",
               "ca_file": "KOOS_KAFKA_CA_FILE"}


@dataclass(frozen=True)
class ClusterOptions:
    """The global options as given (None: not given)."""

    bootstrap_server: str | None = None
    security_protocol: str | None = None
    sasl_mechanism: str | None = None
    username: str | None = None
    password: str | None = None
    password_file: str | None = None
    ca_file: str | None = None
    topic_prefix: str | None = None
    profile: str | None = None
    config: str | None = None

    def settings(self) -> dict[str, str]:
        """The connection settings given on the command line."""
        return {f.name: value for f in fields(self) if f.name in PROFILE_KEYS
                and (value := getattr(self, f.name)) is not None}


@dataclass(frozen=True)
class Target:
    """The cluster, the credentials, the topic namespace, and where they came from."""

    connection: KafkaConnection
    topic_prefix: str
    origin: str
    local: bool = False

    def topic(self, name: str) -> str:
        """A topic's full name: the namespace's prefix is added unless the name carries it already."""
        return name if name.startswith(self.topic_prefix) else self.topic_prefix + name

    @property
    def who(self) -> str:
        """Who connects where, for messages."""
        user = f"{self.connection.username} at " if self.connection.uses_sasl else ""
        return f"{user}{self.connection.bootstrap}"


LocalConnection = Callable[[], KafkaConnection]


def resolve(options: ClusterOptions, environ: Mapping[str, str], local: LocalConnection) -> Target:
    """The target of a command, from its options, the profile file, the environment and the local broker."""
    profiles = _profiles(options, environ)
    name = options.profile or environ.get("KOOS_PROFILE") or profiles.get("default")
    base: dict[str, Any]
    if name == LOCAL or (name is None and not options.bootstrap_server and not _in_environment(environ)):
        base, origin, is_local = _from_connection(local()), "the local dev broker", True
    elif name:
        base, origin, is_local = _profile(profiles, str(name)), f"profile {name}", False
    elif options.bootstrap_server:
        base, origin, is_local = {}, "the command line", False
    else:
        base, origin, is_local = _from_environment(environ), "KOOS_KAFKA_* environment", False
    given = options.settings()
    settings = {**base, **given}
    settings.setdefault("topic_prefix", environ.get("KOOS_TOPIC_PREFIX", ""))
    if is_local and given.keys() - {"topic_prefix"}:
        origin = "the local dev broker, with options of the command line"
    return Target(_connection(settings, "security_protocol" in base or "security_protocol" in given),
                  settings["topic_prefix"], origin, is_local)


def _profiles(options: ClusterOptions, environ: Mapping[str, str]) -> dict[str, Any]:
    given = options.config or environ.get("KOOS_CONFIG")
    path = Path(given or DEFAULT_CONFIG).expanduser()
    if not path.exists():
        if given:
            raise ConfigError(f"the config file {path} does not exist")
        return {}
    try:
        document = tomllib.loads(path.read_text())
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"cannot read the config file {path}: {error}") from error
    profiles = dict(document.get("profiles", {}))
    for name, profile in profiles.items():
        unknown = set(profile) - PROFILE_KEYS
        if unknown:
            raise ConfigError(f"profile {name} in {path} has unknown settings: {', '.join(sorted(unknown))} "
                              f"(known: {', '.join(sorted(PROFILE_KEYS))})")
    return {**profiles, **({"default": document["default"]} if "default" in document else {})}


def _profile(profiles: dict[str, Any], name: str) -> dict[str, Any]:
    if name == "default" or name not in profiles:
        known = sorted({n for n in profiles if n != "default"} | {LOCAL})
        raise ConfigError(f"no profile {name!r} (profiles: {', '.join(known)})")
    return {key: str(value) for key, value in profiles[name].items()}


def _in_environment(environ: Mapping[str, str]) -> bool:
    return bool(environ.get("KOOS_KAFKA_BOOTSTRAP") or environ.get("KOOS_KAFKA_USERNAME"))


def _from_environment(environ: Mapping[str, str]) -> dict[str, Any]:
    return {key: environ[name] for key, name in ENVIRONMENT.items() if environ.get(name)}


def _from_connection(connection: KafkaConnection) -> dict[str, Any]:
    return {"bootstrap_server": connection.bootstrap, "security_protocol": connection.security_protocol,
            "sasl_mechanism": connection.sasl_mechanism, "username": connection.username,
            "password": connection.password, "ca_file": connection.ca_file}


def _connection(settings: dict[str, Any], protocol_given: bool) -> KafkaConnection:
    password = settings.get("password") or _read_password(settings.get("password_file"))
    ca_file = str(Path(settings["ca_file"]).expanduser()) if settings.get("ca_file") else ""
    username = settings.get("username", "")
    protocol = str(settings.get("security_protocol", "")).upper()
    if not protocol_given or not protocol:
        protocol = ("SASL_SSL" if ca_file else "SASL_PLAINTEXT") if username else ("SSL" if ca_file else "PLAINTEXT")
    mechanism = str(settings.get("sasl_mechanism", "SCRAM-SHA-512")).upper()
    _check_choice("security protocol", protocol, get_args(SecurityProtocol))
    _check_choice("SASL mechanism", mechanism, get_args(SaslMechanism))
    if not settings.get("bootstrap_server"):
        raise ConfigError("no bootstrap server: give --bootstrap-server, a profile, or KOOS_KAFKA_BOOTSTRAP")
    if ca_file and not Path(ca_file).is_file():
        raise ConfigError(f"the CA file {ca_file} does not exist")
    connection = KafkaConnection(settings["bootstrap_server"], cast(SecurityProtocol, protocol),
                                 cast(SaslMechanism, mechanism), username, password, ca_file)
    if connection.uses_sasl and not (username and password):
        raise ConfigError(f"{protocol} needs a user name and a password (--username, --password or --password-file)")
    return connection


def _read_password(path: str | None) -> str:
    if not path:
        return ""
    file = Path(path).expanduser()
    try:
        return file.read_text().strip()
    except OSError as error:
        raise ConfigError(f"cannot read the password file {file}: {error.strerror or error}") from error


def _check_choice(what: str, value: str, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise ConfigError(f"unknown {what} {value!r} (one of {', '.join(allowed)})")


def with_prefix(target: Target, prefix: str | None) -> Target:
    """The same target in another topic namespace, when a command names one."""
    return target if prefix is None else replace(target, topic_prefix=prefix)
