"""Where the dev servers keep their state and cache, and which ports they use."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

LOCALHOST = "127.0.0.1"
REPO_ROOT = Path(__file__).resolve().parents[3]
INFRA_DIR = REPO_ROOT / "infra"


@dataclass(frozen=True)
class ServerSettings:
    """Directories and ports shared by all dev servers."""

    state_dir: Path
    cache_dir: Path
    host: str = LOCALHOST
    kafka_port: int = 19092
    kafka_controller_port: int = 19093
    kafka_tls_port: int = 19094
    mongo_port: int = 27217
    smtp_port: int = 2525
    smtp_api_port: int = 2526

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> ServerSettings:
        """Read KOOS_STATE_DIR, KOOS_CACHE_DIR and KOOS_*_PORT, falling back to defaults."""
        env = os.environ if environ is None else environ
        return cls(
            state_dir=_dir(env, "KOOS_STATE_DIR", REPO_ROOT / ".koos"),
            cache_dir=_dir(env, "KOOS_CACHE_DIR", Path.home() / ".cache" / "koos"),
            kafka_port=_port(env, "KOOS_KAFKA_PORT", cls.kafka_port),
            kafka_controller_port=_port(env, "KOOS_KAFKA_CONTROLLER_PORT", cls.kafka_controller_port),
            kafka_tls_port=_port(env, "KOOS_KAFKA_TLS_PORT", cls.kafka_tls_port),
            mongo_port=_port(env, "KOOS_MONGO_PORT", cls.mongo_port),
            smtp_port=_port(env, "KOOS_SMTP_PORT", cls.smtp_port),
            smtp_api_port=_port(env, "KOOS_SMTP_API_PORT", cls.smtp_api_port),
        )


def _dir(env: Mapping[str, str], name: str, default: Path) -> Path:
    value = env.get(name)
    return Path(value).expanduser().resolve() if value else default


def _port(env: Mapping[str, str], name: str, default: int) -> int:
    value = env.get(name)
    if not value:
        return default
    if not value.isdigit() or not 0 < int(value) < 65536:
        raise ValueError(f"{name} must be a TCP port number, got {value!r}")
    return int(value)
