"""Settings of the web front end (the only module that reads the environment)."""

from urllib.parse import urlsplit

from pydantic import model_validator

from koos_kit.config import ServiceSettings

DEVELOPMENT_COOKIE_SECRET = "koos-development-cookie-secret-not-for-production"


class Settings(ServiceSettings):
    """The web reads `KOOS_*` variables; these are its defaults.

    Outside development mode (`KOOS_WEB_DEVELOPMENT`) the cookie secret must be set: there is no usable default.
    The development login mints staff tokens with the gateway's staff secret (`KOOS_JWT_SECRET`), so it exists
    only in development mode. Production organisers sign in at an OpenID Connect provider (`KOOS_WEB_OIDC_*`).
    """

    service_name: str = "web"
    http_port: int = 8080
    gateway_url: str = "http://127.0.0.1:8000"
    web_base_url: str = "http://127.0.0.1:8080"
    web_cookie_secret: str = ""
    web_development: bool = False
    jwt_secret: str = ""
    jwt_issuer: str = "koos"
    jwt_audience: str = "koos-gateway"
    web_oidc_issuer: str = ""
    web_oidc_client_id: str = ""
    web_oidc_client_secret: str = ""
    web_oidc_scopes: str = "openid profile"
    web_sign_up_wait_seconds: float = 5.0
    web_gateway_timeout_seconds: float = 20.0

    @model_validator(mode="after")
    def _secret_outside_development(self) -> "Settings":
        if not self.web_development and len(self.web_cookie_secret) < 32:
            raise ValueError("KOOS_WEB_COOKIE_SECRET must be set to at least 32 characters outside development mode "
                             "(KOOS_WEB_DEVELOPMENT=true)")
        return self

    @property
    def cookie_secret(self) -> str:
        """The secret that encrypts the session cookie."""
        return self.web_cookie_secret or DEVELOPMENT_COOKIE_SECRET

    @property
    def development_login(self) -> bool:
        """Whether the development login is offered: development mode and the gateway's staff secret."""
        return self.web_development and bool(self.jwt_secret)

    @property
    def oidc_configured(self) -> bool:
        return bool(self.web_oidc_issuer and self.web_oidc_client_id)

    @property
    def secure_cookies(self) -> bool:
        """Cookies only over HTTPS when the web is served so."""
        return urlsplit(self.web_base_url).scheme == "https"
