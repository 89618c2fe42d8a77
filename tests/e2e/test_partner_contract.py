"""A partner that sends exactly what the published document requires, and nothing more, is understood.

The document and schemas are read from the gateway, as a partner would; every partner command goes out
with only the required headers and fields (no record key, no time, no organisation), and what comes back
is checked against the same document.
"""

import json
import time
import uuid
from typing import Any

import httpx
import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from koos_contracts.identity import registration_id_for
from koos_contracts.partners import PARTNER_COMMANDS
from koos_kit.messaging.security import KafkaConnection, aiokafka_options
from tests.fixtures.partners import HELSINKI, PartnerStack
from tests.published import channel_messages, required_headers, required_only, validator

pytestmark = pytest.mark.e2e

ANSWERS = {"koos.registration.RegisterParticipant.v1": "koos.registration.RegistrationConfirmed.v1",
           "koos.registration.CancelRegistration.v1": "koos.registration.RegistrationCancelled.v1"}


class Published:
    """The gateway's published contract, fetched once per document."""

    def __init__(self, gateway: httpx.AsyncClient) -> None:
        self._gateway = gateway
        self._cache: dict[str, dict[str, Any]] = {}

    async def load(self) -> dict[str, Any]:
        document = await self._get("/v1/contracts/asyncapi.json")
        for message in document["components"]["messages"].values():
            if "$ref" in message["payload"]:
                await self._get(f"/v1/contracts/{message['payload']['$ref']}")
        return document

    def schema(self, reference: str) -> dict[str, Any]:
        return self._cache[f"/v1/contracts/schemas/{reference.rsplit('/', 1)[1]}"]

    async def _get(self, path: str) -> dict[str, Any]:
        answer = await self._gateway.get(path)
        assert answer.status_code == 200, path
        self._cache[path] = dict(answer.json())
        return self._cache[path]


async def send_bare(connection: KafkaConnection, topic: str, headers: dict[str, str], value: dict[str, Any]) -> None:
    """One record with exactly these headers and this value: no key, no timestamp of our own."""
    producer = AIOKafkaProducer(**aiokafka_options(connection), acks="all")
    await producer.start()
    try:
        await producer.send_and_wait(topic, json.dumps(value).encode(),
                                     headers=[(k, v.encode()) for k, v in headers.items()])
    finally:
        await producer.stop()


async def results_for(connection: KafkaConnection, account: Any, command_ids: set[str],
                      timeout: float = 120) -> dict[str, Any]:
    """The results topic's records answering the commands, by causation id."""
    consumer = AIOKafkaConsumer(account.results_topic, **aiokafka_options(connection), group_id=account.consumer_group,
                                auto_offset_reset="earliest", enable_auto_commit=False)
    await consumer.start()
    found: dict[str, Any] = {}
    deadline = time.monotonic() + timeout
    try:
        while not command_ids <= set(found) and time.monotonic() < deadline:
            for records in (await consumer.getmany(timeout_ms=500)).values():
                for record in records:
                    headers = {k: (v or b"").decode() for k, v in record.headers}
                    if headers.get("ce_causationid") in command_ids:
                        found[headers["ce_causationid"]] = (headers, json.loads(record.value))
    finally:
        await consumer.stop()
    assert command_ids <= set(found), f"{len(found)} of {len(command_ids)} commands answered in {timeout:.0f} s"
    return found


async def test_every_partner_command_sent_with_only_what_the_document_requires_is_processed(
        partner_stack: PartnerStack) -> None:
    contract = Published(partner_stack.gateway)
    document = await contract.load()
    account = await partner_stack.partner(HELSINKI)
    connection = partner_stack.connection(account, tls=True)
    course = await partner_stack.publish_finnish_edition(HELSINKI, capacity=5)
    email = f"aino.{uuid.uuid4().hex[:6]}@hel.example"
    values = {"edition_id": str(course.edition_id), "email": email,
              "registration_id": str(registration_id_for(course.edition_id, email))}
    commands = channel_messages(document, "partner_commands")
    assert set(commands) == {c.ce_type() for c in PARTNER_COMMANDS} == set(ANSWERS)

    sent: dict[str, str] = {}
    answered: dict[str, Any] = {}
    for type_name in ANSWERS:  # one after the other: keyless records keep no order between them
        message = commands[type_name]
        command_id = str(uuid.uuid4())
        headers = required_headers(message, {"ce_id": command_id, "ce_source": f"/partners/{HELSINKI}/hr"})
        value = filled(required_only(contract.schema(message["payload"]["$ref"]), message["examples"][0]["payload"]),
                       values)
        await send_bare(connection, account.commands_topic, headers, value)
        sent[command_id] = type_name
        answered |= await results_for(connection, account, {command_id})

    results = channel_messages(document, "partner_results")
    for command_id, type_name in sent.items():
        headers, value = answered[command_id]
        assert headers["ce_type"] == ANSWERS[type_name], (type_name, headers, value)
        published = results[headers["ce_type"]]
        validator(published["headers"], contract.schema).validate(headers)
        validator(contract.schema(published["payload"]["$ref"]), contract.schema).validate(value)
        assert headers["ce_organisationid"] == HELSINKI and value["edition_id"] == values["edition_id"]
    roster = await partner_stack.roster(HELSINKI, course.edition_id)
    assert roster["confirmed"] == [] and roster["seats_left"] == 5


def filled(value: Any, values: dict[str, str]) -> Any:
    """The example's required part with this test's edition, person and registration in it."""
    if isinstance(value, dict):
        return {k: values[k] if k in values else filled(v, values) for k, v in value.items()}
    return value
