"""All three dev servers together: Kafka, the MongoDB-wire server and SMTP."""

from __future__ import annotations

from koos_cli.servers.base import DevServer, Progress, ServerStatus
from koos_cli.servers.kafka import KafkaServer
from koos_cli.servers.mongo import MongoWireServer
from koos_cli.servers.settings import ServerSettings
from koos_cli.servers.smtp import SmtpServer


class Servers:
    """The dev servers of one state dir."""

    def __init__(self, settings: ServerSettings) -> None:
        self.settings = settings
        self.kafka = KafkaServer(settings)
        self.mongo = MongoWireServer(settings)
        self.smtp = SmtpServer(settings)

    @classmethod
    def from_env(cls) -> Servers:
        """Servers configured from KOOS_* environment variables."""
        return cls(ServerSettings.from_env())

    @property
    def all(self) -> tuple[DevServer, ...]:
        """Every server, in start order."""
        return (self.kafka, self.mongo, self.smtp)

    def named(self, names: list[str] | None = None) -> tuple[DevServer, ...]:
        """The servers with these names (all when names is empty or None)."""
        if not names:
            return self.all
        unknown = set(names) - {server.name for server in self.all}
        if unknown:
            raise ValueError(f"unknown server(s): {', '.join(sorted(unknown))}")
        return tuple(server for server in self.all if server.name in names)

    def start_all(self, progress: Progress | None = None, names: list[str] | None = None) -> None:
        """Install what is missing, start every server that is not running, and wait until all are ready."""
        chosen = self.named(names)
        for server in chosen:
            server.install(progress)
        for server in chosen:
            server.launch(progress)
        for server in chosen:
            server.wait_ready(progress)

    def stop_all(self, names: list[str] | None = None) -> None:
        """Stop every running server; stopped ones are left alone."""
        for server in reversed(self.named(names)):
            server.stop()

    def status(self) -> list[ServerStatus]:
        """The status of every server."""
        return [server.status() for server in self.all]
