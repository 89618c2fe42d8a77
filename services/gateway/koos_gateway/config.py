"""Settings of the gateway."""

from koos_kit.config import ServiceSettings

DEVELOPMENT_JWT_SECRET = "koos-development-secret-not-for-production"
DEVELOPMENT_PARTICIPANT_SECRET = "koos-development-participant-secret-not-for-production"


class Settings(ServiceSettings):
    """The gateway reads `KOOS_*` variables; these are its defaults."""

    service_name: str = "gateway"
    mongo_database: str = "koos_gateway"
    http_port: int = 8000
    jwt_secret: str = DEVELOPMENT_JWT_SECRET
    jwt_issuer: str = "koos"
    signup_rate_per_minute: int = 30
    command_wait_seconds: float = 5.0
    publish_timeout_seconds: float = 5.0
    participant_token_secret: str = DEVELOPMENT_PARTICIPANT_SECRET
    participant_token_days: int = 180
    public_base_url: str = "http://127.0.0.1:8000"
    command_retention_days: int = 30
    cors_origins: tuple[str, ...] = ()
    oidc_issuer: str = ""
    oidc_audience: str = "koos-gateway"
    oidc_jwks_url: str = ""
    oidc_org_claim: str = "org"
    oidc_role_claim: str = "role"
    oidc_keys_refresh_seconds: float = 60.0

    @property
    def uses_development_secret(self) -> bool:
        """Whether tokens are signed with the well-known development secret."""
        return self.jwt_secret == DEVELOPMENT_JWT_SECRET
