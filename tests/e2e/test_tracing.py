"""One sign-up is one trace: the gateway's request, registration's handling of the command, notifications'
handling of the decision and its mail, with the MongoDB commands and the SMTP send on the way; read from the
spans the services export over OTLP/HTTP to a receiver in the test."""

import asyncio
import json

import httpx
import pytest

from tests.builders import open_course
from tests.fixtures.otlp import ReceivedSpan, TraceReceiver
from tests.fixtures.services import ServiceFactory
from tests.fixtures.stack import signing_settings, stack_settings, staff_token

pytestmark = pytest.mark.e2e

SERVER, CONSUMER, CLIENT = 2, 5, 3
"""Span kinds as OTLP numbers them."""


async def _spans_of(receiver: TraceReceiver, trace_id: str, until_service: str, until_name: str,
                    timeout: float = 60) -> list[ReceivedSpan]:
    deadline = asyncio.get_running_loop().time() + timeout
    while not any(s.service == until_service and s.name == until_name for s in receiver.trace(trace_id)):
        assert asyncio.get_running_loop().time() < deadline, sorted({(s.service, s.name)
                                                                      for s in receiver.trace(trace_id)})
        await asyncio.sleep(0.5)
    return receiver.trace(trace_id)


async def _request_span(receiver: TraceReceiver, correlation_id: str, timeout: float = 30) -> ReceivedSpan:
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        found = [s for s in receiver.spans if s.kind == SERVER and s.attributes.get("koos.correlation_id")
                 == correlation_id]
        if found:
            return found[0]
        assert asyncio.get_running_loop().time() < deadline, "the gateway exported no span of the request"
        await asyncio.sleep(0.2)


async def test_one_sign_up_is_one_trace_from_the_gateway_through_registration_to_the_mail_sent(
        services: ServiceFactory, trace_receiver: TraceReceiver) -> None:
    services.base_env |= {"OTEL_BSP_SCHEDULE_DELAY": "200"}
    started = {name: services(name, otel_exporter_otlp_endpoint=trace_receiver.endpoint,
                              **stack_settings(**(signing_settings() if name == "notifications" else {})))
               for name in ("scheduling", "registration", "notifications", "gateway")}
    for service in started.values():
        service.start()
    plan = open_course()
    email = f"sporet@{plan.edition_id.hex[:8]}.koos-test.example"
    async with httpx.AsyncClient(base_url=started["gateway"].url, timeout=60) as gateway:
        published = await gateway.post("/v1/editions", json=plan.model_dump(mode="json"), params={"wait": 20},
                                       headers={"Authorization": f"Bearer {staff_token()}"})
        assert published.status_code == 201, published.text
        for _ in range(120):
            signed_up = await gateway.post(f"/v1/public/editions/{plan.edition_id}/registrations",
                                           params={"wait": 20}, headers={"X-Correlation-ID": "traced-sign-up"},
                                           json={"email": email, "name": "Kari Sporet", "language": "nb"})
            if signed_up.status_code != 409:
                break
            await asyncio.sleep(0.5)
    assert signed_up.status_code == 201, signed_up.text
    request = await _request_span(trace_receiver, "traced-sign-up")

    spans = await _spans_of(trace_receiver, request.trace_id, "koos-notifications", "smtp send")

    by_service = {(s.service, s.name) for s in spans}
    assert request.service == "koos-gateway" and request.name.startswith("POST /v1/public/editions/")
    assert ("koos-registration", "process koos.registration.RegisterParticipant.v1") in by_service
    assert ("koos-notifications", "process koos.registration.RegistrationConfirmed.v1") in by_service
    assert any(s.service == "koos-notifications" and s.name.startswith("send registration_confirmed") for s in spans)
    assert {s.service for s in spans if s.attributes.get("db.system") == "mongodb"} >= {"koos-registration",
                                                                                       "koos-notifications"}
    smtp = next(s for s in spans if s.name == "smtp send")
    assert smtp.kind == CLIENT and smtp.attributes["network.protocol.name"] == "smtp"
    ids = {s.span_id for s in spans}
    assert all(s.parent_span_id in ids for s in spans if s is not request), "a span's parent is outside the trace"
    assert any(s.kind == CONSUMER for s in spans if s.service == "koos-registration")
    lines = [json.loads(line) for line in started["gateway"].log().splitlines() if line.startswith("{")]
    answered = [line for line in lines if line.get("correlation_id") == "traced-sign-up"
                and line["event"] == "request answered"]
    assert [(line.get("trace_id"), line.get("span_id")) for line in answered] == [(request.trace_id, request.span_id)]
