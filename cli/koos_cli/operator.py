"""The services' passwords for `koos kafka provision`: given by environment for a cluster, else the dev broker's."""

import os

from koos_cli.failures import ConfigError
from koos_cli.servers import Servers
from koos_contracts.access import SERVICE_ACCESS


def service_password(principal: str) -> str:
    """A service's password: KOOS_KAFKA_PASSWORD_<SERVICE> when set, else the dev broker's for this state dir."""
    service = next(a.service for a in SERVICE_ACCESS if a.principal == principal)
    given = os.environ.get(f"KOOS_KAFKA_PASSWORD_{service.upper()}")
    if given:
        return given
    if os.environ.get("KOOS_KAFKA_USERNAME") or os.environ.get("KOOS_KAFKA_BOOTSTRAP"):
        raise ConfigError(f"KOOS_KAFKA_PASSWORD_{service.upper()} is not set")
    return Servers.from_env().kafka.credentials.password(principal)
