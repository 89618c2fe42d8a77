"""Outside development mode each service, run as its process, refuses to start without its secrets."""

import os
import subprocess
import sys

import pytest

from koos_gateway.config import DEVELOPMENT_JWT_SECRET

pytestmark = pytest.mark.integration

SERVICES = {
    "registration": ["KOOS_KAFKA_PASSWORD", "KOOS_PRIVACY_KEK is not set"],
    "scheduling": ["KOOS_KAFKA_PASSWORD"],
    "evaluation": ["KOOS_KAFKA_PASSWORD", "KOOS_PRIVACY_KEK is not set"],
    "notifications": ["KOOS_KAFKA_PASSWORD", "KOOS_PARTICIPANT_TOKEN_PRIVATE_KEY is not set",
                      "KOOS_PRIVACY_KEK is not set"],
    "gateway": ["KOOS_KAFKA_PASSWORD", "KOOS_JWT_SECRET is a well-known default",
                "KOOS_PARTICIPANT_TOKEN_PUBLIC_KEY is not set", "KOOS_PRIVACY_KEK is not set"],
}


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_a_service_without_its_secrets_stops_at_once_naming_each_setting(service: str) -> None:
    env = {name: value for name, value in os.environ.items() if not name.startswith("KOOS_")}
    env.update({"KOOS_KAFKA_SECURITY_PROTOCOL": "SASL_SSL", "KOOS_KAFKA_USERNAME": f"koos-{service}",
                "KOOS_JWT_SECRET": DEVELOPMENT_JWT_SECRET, "KOOS_LOG_FORMAT": "json"})

    done = subprocess.run([sys.executable, "-m", f"koos_{service}"], env=env, capture_output=True, text=True,
                          timeout=60, check=False)

    assert done.returncode != 0
    assert "refusing to start outside development mode" in done.stderr
    for problem in SERVICES[service]:
        assert problem in done.stderr, done.stderr
    assert "KOOS_ENVIRONMENT=development" in done.stderr
