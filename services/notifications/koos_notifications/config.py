"""Settings of the notifications service."""

from email.utils import parseaddr

from koos_kit.participant_tokens import ParticipantTokenSettings
from koos_kit.secrets import Secret


class Settings(ParticipantTokenSettings):
    """Notifications reads `KOOS_*` variables; these are its defaults."""

    service_name: str = "notifications"
    handles_personal_data: bool = True
    mongo_database: str = "koos_notifications"
    http_port: int = 8104
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 2525
    smtp_timeout_seconds: float = 10.0
    smtp_starttls: bool = False
    smtp_from: str = "Koos <no-reply@koos.example>"
    smtp_lookup_url: str = ""
    smtp_lookup_timeout_seconds: float = 3.0
    smtp_local_hostname: str = ""
    public_base_url: str = "http://127.0.0.1:8000"
    web_base_url: str = "http://127.0.0.1:8080"
    links_resent_every_minutes: int = 10
    send_poll_seconds: float = 0.5
    send_workers: int = 4
    send_batch: int = 50
    send_rate_per_second: int = 50
    send_lease_seconds: float = 30.0
    send_max_attempts: int = 6
    send_backoff_seconds: float = 5.0
    send_backoff_max_seconds: float = 900.0
    reminder_plan_seconds: float = 15.0
    reminder_lead_seconds: float = 600.0

    @property
    def message_id_domain(self) -> str:
        """The domain of every Message-ID: the sender's."""
        return parseaddr(self.smtp_from)[1].rpartition("@")[2] or "koos.example"

    @property
    def send_deadline_seconds(self) -> float:
        """How long one send may take in all: at most a third of the lease, so that a claim ends before it expires."""
        return min(4 * self.smtp_timeout_seconds, self.send_lease_seconds / 3)

    @property
    def claim_batch(self) -> int:
        """How many notifications the send loop claims at a time: at most what the rate lets go in a third of the
        lease, so that every mail of a batch can start before its lease ends."""
        if self.send_rate_per_second <= 0:
            return self.send_batch
        return max(1, min(self.send_batch, int(self.send_rate_per_second * self.send_lease_seconds / 3)))

    @property
    def lookup_timeout_seconds(self) -> float:
        """How long to wait for the provider's lookup: at most a third of the lease as well."""
        return min(self.smtp_lookup_timeout_seconds, self.send_lease_seconds / 3)

    def secrets(self) -> list[Secret]:
        return [*super().secrets(), self.signing_secret()]
