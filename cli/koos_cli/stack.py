"""The five Koos services and the web front end run as background processes next to the dev servers."""

import os
import secrets
import sys
from collections.abc import Callable
from dataclasses import dataclass

import httpx

from koos_cli.servers import Servers
from koos_cli.servers.process import ManagedProcess
from koos_contracts.access import ACCESS_BY_SERVICE
from koos_kit.participant_tokens import new_key_pair, public_key_of


@dataclass(frozen=True)
class ServiceSpec:
    """One service: its module and its HTTP port."""

    name: str
    module: str
    default_port: int

    @property
    def port(self) -> int:
        return int(os.environ.get(f"KOOS_{self.name.upper()}_PORT", self.default_port))

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


SERVICES = (
    ServiceSpec("scheduling", "koos_scheduling", 8102),
    ServiceSpec("registration", "koos_registration", 8101),
    ServiceSpec("evaluation", "koos_evaluation", 8103),
    ServiceSpec("notifications", "koos_notifications", 8104),
    ServiceSpec("gateway", "koos_gateway", 8000),
    ServiceSpec("web", "koos_web", 8080),
)


class Stack:
    """The services of one state dir, wired to that state dir's dev servers."""

    def __init__(self, servers: Servers) -> None:
        self.servers = servers
        self.home = servers.settings.state_dir / "services"
        self.topic_prefix = os.environ.get("KOOS_TOPIC_PREFIX", "")

    def process(self, spec: ServiceSpec) -> ManagedProcess:
        """The managed process of a service."""
        return ManagedProcess(name=spec.name, pid_file=self.home / f"{spec.name}.pid",
                              log_file=self.home / "logs" / f"{spec.name}.log",
                              marker=f"-m {spec.module}", health=lambda: is_ready(spec))

    def start(self, spec: ServiceSpec, timeout: float = 90.0) -> None:
        """Start a service unless it runs, and wait until it is ready."""
        process = self.process(spec)
        process.launch([sys.executable, "-m", spec.module], env=self.environment(spec))
        process.wait_ready(timeout)

    def stop(self, spec: ServiceSpec) -> None:
        """Stop a service gracefully (SIGTERM, then SIGKILL)."""
        self.process(spec).stop(timeout=20.0)

    def environment(self, spec: ServiceSpec) -> dict[str, str]:
        """What a service reads: where the servers are, its Kafka user (the web has none), its port, the secrets."""
        servers = self.servers
        gateway, web = (next(s for s in SERVICES if s.name == name) for name in ("gateway", "web"))
        access = ACCESS_BY_SERVICE.get(spec.name)
        kafka = servers.kafka.connection(access.principal).environment() if access else {}
        return {
            **os.environ,
            **kafka,
            "KOOS_MONGO_URL": servers.mongo.url,
            "KOOS_SMTP_HOST": servers.settings.host,
            "KOOS_SMTP_PORT": str(servers.settings.smtp_port),
            "KOOS_SMTP_LOOKUP_URL": servers.smtp.api_url,
            "KOOS_HTTP_PORT": str(spec.port),
            "KOOS_ENVIRONMENT": "development",
            "KOOS_JWT_SECRET": self.jwt_secret(),
            "KOOS_PRIVACY_KEK": self.secret("privacy_kek"),
            **self.participant_token_keys(spec),
            "KOOS_PUBLIC_BASE_URL": gateway.url,
            "KOOS_GATEWAY_URL": gateway.url,
            "KOOS_WEB_BASE_URL": web.url,
            "KOOS_WEB_DEVELOPMENT": "true",
            "KOOS_WEB_COOKIE_SECRET": self.secret("web_cookie_secret"),
            "KOOS_LOG_FORMAT": "json",
        }

    def participant_token_keys(self, spec: ServiceSpec) -> dict[str, str]:
        """The key pair of participant tokens (made once per state dir): the private key for notifications,
        which signs them, the public key for the gateway, which checks them."""
        private = self.secret("participant_token_private_key", lambda: new_key_pair()[0])
        if spec.name == "notifications":
            return {"KOOS_PARTICIPANT_TOKEN_PRIVATE_KEY": private}
        return {"KOOS_PARTICIPANT_TOKEN_PUBLIC_KEY": public_key_of(private)} if spec.name == "gateway" else {}

    def jwt_secret(self) -> str:
        """The staff tokens' signing secret of this state dir."""
        return self.secret("jwt_secret")

    def secret(self, name: str, make: Callable[[], str] = lambda: secrets.token_urlsafe(48)) -> str:
        """A secret of this state dir, made once (or taken from KOOS_<NAME> if set)."""
        if secret := os.environ.get(f"KOOS_{name.upper()}"):
            return secret
        path = self.servers.settings.state_dir / name
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(make())
            path.chmod(0o600)
        return path.read_text().strip()


def is_ready(spec: ServiceSpec) -> bool:
    """Whether the service answers /readyz with 200."""
    try:
        return httpx.get(f"{spec.url}/readyz", timeout=2.0).status_code == 200
    except httpx.HTTPError:
        return False
