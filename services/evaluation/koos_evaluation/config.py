"""Settings of the evaluation service."""

from pydantic import Field

from koos_kit.config import ServiceSettings


class Settings(ServiceSettings):
    """Evaluation reads `KOOS_*` variables; these are its defaults."""

    service_name: str = "evaluation"
    handles_personal_data: bool = True
    mongo_database: str = "koos_evaluation"
    http_port: int = 8103
    survey_open_days: int = Field(default=14, ge=1)
