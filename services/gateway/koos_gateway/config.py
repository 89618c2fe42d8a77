"""Settings of the gateway."""

from pydantic import Field

from koos_kit.participant_tokens import ParticipantTokenSettings
from koos_kit.secrets import Secret

DEVELOPMENT_JWT_SECRET = "koos-development-secret-not-for-production"
"""Signs staff tokens in development mode when KOOS_JWT_SECRET is not set; refused anywhere else."""


class Settings(ParticipantTokenSettings):
    """The gateway reads `KOOS_*` variables; these are its defaults."""

    service_name: str = "gateway"
    handles_personal_data: bool = True
    mongo_database: str = "koos_gateway"
    http_port: int = 8000
    jwt_secret: str = Field(default="", repr=False)
    jwt_issuer: str = "koos"
    jwt_audience: str = "koos-gateway"
    jwt_max_lifetime_hours: float = Field(default=12.0, gt=0, le=24 * 31)
    signup_rate_per_minute: int = Field(default=120, ge=1)
    api_key_rate_per_minute: int = Field(default=600, ge=1)
    rate_limit_replicas: int = Field(default=2, ge=1)
    """The most gateway replicas that will run at once: each admits a share of every quota without the store."""
    command_wait_seconds: float = 5.0
    publish_timeout_seconds: float = 5.0
    public_base_url: str = "http://127.0.0.1:8000"
    command_retention_days: int = 30
    cors_origins: tuple[str, ...] = ()
    http_body_limit_bytes: int = Field(default=1024 * 1024, ge=1024)
    http_public_body_limit_bytes: int = Field(default=4 * 1024, ge=512)
    oidc_issuer: str = ""
    oidc_audience: str = "koos-gateway"
    oidc_jwks_url: str = ""
    oidc_org_claim: str = "org"
    oidc_role_claim: str = "role"
    oidc_keys_refresh_seconds: float = 60.0

    @property
    def staff_token_secret(self) -> str:
        """The HS256 secret of staff tokens (the development one only in development mode, when none is set)."""
        return self.jwt_secret or (DEVELOPMENT_JWT_SECRET if self.in_development else "")

    def secrets(self) -> list[Secret]:
        return [*super().secrets(), Secret("KOOS_JWT_SECRET", self.jwt_secret, min_bytes=32), self.verifying_key()]
