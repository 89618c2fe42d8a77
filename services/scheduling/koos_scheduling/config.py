"""Settings of the scheduling service."""

from koos_kit.config import ServiceSettings


class Settings(ServiceSettings):
    """Scheduling reads `KOOS_*` variables; these are its defaults."""

    service_name: str = "scheduling"
    mongo_database: str = "koos_scheduling"
    http_port: int = 8102
    session_end_poll_seconds: float = 5.0
