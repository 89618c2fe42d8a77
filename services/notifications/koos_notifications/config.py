"""Settings of the notifications service."""

from email.utils import parseaddr

from koos_kit.config import ServiceSettings


class Settings(ServiceSettings):
    """Notifications reads `KOOS_*` variables; these are its defaults."""

    service_name: str = "notifications"
    mongo_database: str = "koos_notifications"
    http_port: int = 8104
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 2525
    smtp_timeout_seconds: float = 15.0
    smtp_starttls: bool = False
    smtp_from: str = "Koos <no-reply@koos.example>"
    public_base_url: str = "http://127.0.0.1:8000"
    send_poll_seconds: float = 0.5
    send_workers: int = 4
    send_lease_seconds: float = 60.0
    send_max_attempts: int = 6
    send_backoff_seconds: float = 5.0
    send_backoff_max_seconds: float = 900.0

    @property
    def message_id_domain(self) -> str:
        """The domain of every Message-ID: the sender's."""
        return parseaddr(self.smtp_from)[1].rpartition("@")[2] or "koos.example"
