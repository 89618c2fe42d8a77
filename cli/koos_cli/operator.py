"""Which Kafka the operator's commands talk to: the one in KOOS_KAFKA_* (any cluster), else this state dir's."""

import os

from koos_cli.servers import Servers
from koos_contracts.access import SERVICE_ACCESS
from koos_kit.config import ServiceSettings
from koos_kit.messaging.security import KafkaConnection


def operator_connection() -> KafkaConnection:
    """The admin connection: KOOS_KAFKA_USERNAME/PASSWORD/... when set (compose, a cluster), else the dev broker's."""
    if os.environ.get("KOOS_KAFKA_USERNAME"):
        return ServiceSettings().kafka
    return Servers.from_env().kafka.connection()


def service_password(principal: str) -> str:
    """A service's password: KOOS_KAFKA_PASSWORD_<SERVICE> when set, else the dev broker's for this state dir."""
    service = next(a.service for a in SERVICE_ACCESS if a.principal == principal)
    given = os.environ.get(f"KOOS_KAFKA_PASSWORD_{service.upper()}")
    if given:
        return given
    if os.environ.get("KOOS_KAFKA_USERNAME"):
        raise SystemExit(f"KOOS_KAFKA_PASSWORD_{service.upper()} is not set")
    return Servers.from_env().kafka.credentials.password(principal)
