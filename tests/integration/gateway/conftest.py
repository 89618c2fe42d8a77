"""Fixtures: the real gateway app (bootstrap, lifespan, consumers, Mongo read models), one namespace per test."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import httpx
import pytest
from pymongo import AsyncMongoClient

from koos_gateway.bootstrap import bootstrap
from koos_gateway.config import Settings
from tests.fixtures.servers import KafkaCluster, kafka_settings
from tests.fixtures.services import Namespace
from tests.tokens import PARTICIPANT_PUBLIC_KEY, staff_jwt

SECRET = "integration-test-secret-of-32-bytes-or-more"
ORGANISATION = "tromso-kommune"


def staff_headers(role: str = "organiser", organisation_id: str = ORGANISATION, **more: str) -> dict[str, str]:
    """A staff token as the CLI mints it: sub, org, role, iss, aud, iat, exp; HS256."""
    return {"Authorization": f"Bearer {staff_jwt(SECRET, organisation_id, role, 'integration', lifetime=600)}",
            **more}


@dataclass
class LiveGateway:
    """A running gateway and an HTTP client to it."""

    settings: Settings
    client: httpx.AsyncClient


@asynccontextmanager
async def running(kafka: KafkaCluster, mongo_url: str, namespace: Namespace,
                  command_wait_seconds: float) -> AsyncIterator[LiveGateway]:
    """The gateway started through its own lifespan, as its own principal, with its consumer group and database."""
    settings = Settings(**kafka_settings(kafka.service("gateway")), mongo_url=mongo_url,
                        topic_prefix=namespace.prefix,
                        mongo_database=namespace.database("gateway"), jwt_secret=SECRET,
                        participant_token_public_key=PARTICIPANT_PUBLIC_KEY, environment="development",
                        command_wait_seconds=command_wait_seconds, public_base_url="https://koos.example",
                        log_format="json")
    _, app = bootstrap(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://gateway.test", timeout=60) as client:
            yield LiveGateway(settings, client)
    mongo: AsyncMongoClient[dict[str, object]] = AsyncMongoClient(mongo_url)
    await mongo.drop_database(settings.mongo_database)
    await mongo.close()


@pytest.fixture
async def live_gateway(kafka_cluster: KafkaCluster, mongo_url: str,
                       granted_namespace: Namespace) -> AsyncIterator[LiveGateway]:
    """A gateway that waits one second for outcomes."""
    async with running(kafka_cluster, mongo_url, granted_namespace, 1.0) as gateway:
        yield gateway


@pytest.fixture
async def patient_gateway(kafka_cluster: KafkaCluster, mongo_url: str,
                          granted_namespace: Namespace) -> AsyncIterator[LiveGateway]:
    """A gateway that waits long enough for a test to play the owning service over Kafka."""
    async with running(kafka_cluster, mongo_url, granted_namespace, 20.0) as gateway:
        yield gateway
