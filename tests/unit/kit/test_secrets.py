"""Outside development mode a service refuses to start without its secrets, naming each setting."""

from typing import Any

import pytest

from koos_gateway.config import DEVELOPMENT_JWT_SECRET
from koos_gateway.config import Settings as GatewaySettings
from koos_kit.config import ServiceSettings
from koos_kit.participant_tokens import development_key_pair, new_key_pair
from koos_kit.secrets import UnsafeSettings
from koos_kit.wiring import refuse_unsafe
from koos_notifications.config import Settings as NotificationsSettings
from koos_registration.config import Settings as RegistrationSettings

PRIVATE, PUBLIC = new_key_pair()
KAFKA = {"kafka_security_protocol": "SASL_SSL", "kafka_username": "koos-x",
         "kafka_password": "a-kafka-password-long-enough", "privacy_kek": "a-key-encryption-key-of-32-bytes-or-more"}
GATEWAY = {**KAFKA, "jwt_secret": "a-staff-token-secret-of-32-bytes-at-least",
           "participant_token_public_key": PUBLIC}
NOTIFICATIONS = {**KAFKA, "participant_token_private_key": PRIVATE}
DEVELOPMENT_PRIVATE, DEVELOPMENT_PUBLIC = development_key_pair()


def unsafe(settings_type: type[ServiceSettings], **given: Any) -> list[str]:
    return settings_type(_env_file=None, **given).unsafe()  # type: ignore[call-arg]


def test_services_with_every_secret_given_may_start() -> None:
    assert unsafe(GatewaySettings, **GATEWAY) == []
    assert unsafe(NotificationsSettings, **NOTIFICATIONS) == []
    assert unsafe(RegistrationSettings, **KAFKA) == []


@pytest.mark.parametrize(("setting", "value", "reason"), [
    ("jwt_secret", "", "KOOS_JWT_SECRET is not set"),
    ("jwt_secret", DEVELOPMENT_JWT_SECRET, "KOOS_JWT_SECRET is a well-known default"),
    ("jwt_secret", "changeme", "KOOS_JWT_SECRET is a well-known default"),
    ("jwt_secret", "short-but-not-empty", "KOOS_JWT_SECRET is shorter than 32 bytes"),
    ("participant_token_public_key", "", "KOOS_PARTICIPANT_TOKEN_PUBLIC_KEY is not set"),
    ("participant_token_public_key", "not-a-key", "KOOS_PARTICIPANT_TOKEN_PUBLIC_KEY is not an Ed25519 public key"),
    ("participant_token_public_key", DEVELOPMENT_PUBLIC, "KOOS_PARTICIPANT_TOKEN_PUBLIC_KEY is the development key"),
    ("kafka_password", "", "KOOS_KAFKA_PASSWORD is not set"),
    ("kafka_password", "password", "KOOS_KAFKA_PASSWORD is a well-known default"),
    ("kafka_password", "abc123", "KOOS_KAFKA_PASSWORD is shorter than 16 bytes"),
    ("privacy_kek", "", "KOOS_PRIVACY_KEK is not set"),
    ("privacy_kek", "koos-development-privacy-kek-not-for-production", "KOOS_PRIVACY_KEK is a well-known default"),
])
def test_the_gateway_names_each_missing_default_or_short_secret(setting: str, value: str, reason: str) -> None:
    problems = unsafe(GatewaySettings, **{**GATEWAY, setting: value})

    assert len(problems) == 1 and problems[0].startswith(reason), problems


@pytest.mark.parametrize(("value", "reason"), [
    ("", "KOOS_PARTICIPANT_TOKEN_PRIVATE_KEY is not set"),
    ("koos-development-participant-secret-not-for-production", "KOOS_PARTICIPANT_TOKEN_PRIVATE_KEY is a well-known"),
    (PUBLIC + "x", "KOOS_PARTICIPANT_TOKEN_PRIVATE_KEY is not an Ed25519 private key"),
    (DEVELOPMENT_PRIVATE, "KOOS_PARTICIPANT_TOKEN_PRIVATE_KEY is the development key"),
], ids=["missing", "well-known", "a public key", "the development key"])
def test_notifications_names_a_missing_or_development_signing_key(value: str, reason: str) -> None:
    problems = unsafe(NotificationsSettings, **{**NOTIFICATIONS, "participant_token_private_key": value})

    assert len(problems) == 1 and problems[0].startswith(reason), problems


def test_kafka_without_authentication_is_refused_outside_development() -> None:
    (problem,) = unsafe(RegistrationSettings, privacy_kek=KAFKA["privacy_kek"])

    assert problem.startswith("KOOS_KAFKA_SECURITY_PROTOCOL is PLAINTEXT")


def test_a_service_stops_at_start_up_with_every_problem_and_starts_in_development_mode() -> None:
    with pytest.raises(UnsafeSettings) as stopped:
        refuse_unsafe(GatewaySettings(_env_file=None))  # type: ignore[call-arg]

    message = str(stopped.value)
    assert all(name in message for name in ("KOOS_KAFKA_SECURITY_PROTOCOL", "KOOS_JWT_SECRET",
                                            "KOOS_PARTICIPANT_TOKEN_PUBLIC_KEY", "KOOS_ENVIRONMENT=development"))
    refuse_unsafe(GatewaySettings(_env_file=None, environment="development"))  # type: ignore[call-arg]
