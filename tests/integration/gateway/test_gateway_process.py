"""`python -m koos_gateway` as a process: ready when Kafka and MongoDB are, JSON logs with the correlation id
and no personal data."""

import json

import httpx
import pytest

from tests.builders import open_course, opened, person, published
from tests.fixtures.kafka import KafkaProbe, eventually
from tests.fixtures.services import ServiceFactory
from tests.integration.gateway.conftest import ORGANISATION, SECRET

pytestmark = [pytest.mark.integration, pytest.mark.e2e]


async def test_the_gateway_process_serves_and_logs_each_request_with_its_correlation_id(
        services: ServiceFactory, kafka_probe: KafkaProbe) -> None:
    gateway = services("gateway", jwt_secret=SECRET).start()
    plan = open_course()
    await kafka_probe.send(published(plan), organisation_id=ORGANISATION)
    await kafka_probe.send(opened(plan), organisation_id=ORGANISATION)
    url = f"{gateway.url}/v1/public/editions/{plan.edition_id}"

    async def edition_visible() -> bool:
        async with httpx.AsyncClient() as client:
            return (await client.get(url)).status_code == 200

    await eventually(edition_visible, timeout=30)
    async with httpx.AsyncClient() as client:
        answer = await client.post(f"{url}/registrations", json=person(1).model_dump(mode="json"),
                                   headers={"X-Correlation-ID": "it-process-42"})
    gateway.stop()

    assert answer.status_code == 202 and answer.headers["X-Correlation-ID"] == "it-process-42"
    lines = [json.loads(line) for line in gateway.log().splitlines() if line.startswith("{")]
    tagged = [line for line in lines if line.get("correlation_id") == "it-process-42"]
    assert {line["event"] for line in tagged} >= {"command sent", "request answered"}
    assert person(1).email not in gateway.log() and person(1).name not in gateway.log()
    assert "KOOS_JWT_SECRET is not set" not in gateway.log()
