"""Settings of the registration service."""

from koos_kit.config import ServiceSettings


class Settings(ServiceSettings):
    """Registration reads `KOOS_*` variables; these are its defaults."""

    service_name: str = "registration"
    handles_personal_data: bool = True
    mongo_database: str = "koos_registration"
    http_port: int = 8101
    unknown_edition_grace_seconds: float = 30.0
    consumer_batch_records: int = 500
