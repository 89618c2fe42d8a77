"""The gateway publishes the contract on Kafka: the AsyncAPI document, a page to read, and the schemas."""

import re

from koos_contracts.asyncapi import asyncapi_document
from koos_contracts.catalogue import MESSAGE_TYPES
from koos_contracts.partners import PARTNER_COMMANDS
from tests.unit.gateway.harness import Gateway


async def test_the_asyncapi_document_is_served_to_anyone_as_json(gateway: Gateway) -> None:
    answer = await gateway.client.get("/v1/contracts/asyncapi.json")

    assert answer.status_code == 200 and answer.headers["content-type"] == "application/json"
    assert answer.json() == asyncapi_document()
    assert "public" in answer.headers["Cache-Control"]


async def test_every_schema_the_document_references_resolves_next_to_it(gateway: Gateway) -> None:
    document = (await gateway.client.get("/v1/contracts/asyncapi.json")).json()
    references = {m["payload"]["$ref"] for m in document["components"]["messages"].values() if "$ref" in m["payload"]}

    for reference in sorted(references):
        answer = await gateway.client.get(f"/v1/contracts/{reference}")
        assert answer.status_code == 200, reference
        assert answer.json()["$id"].endswith(reference.removeprefix("schemas/"))
    assert len(references) == len(MESSAGE_TYPES)


async def test_an_unknown_schema_is_404(gateway: Gateway) -> None:
    answer = await gateway.client.get("/v1/contracts/schemas/koos.registration.Nothing.v1.json")

    assert answer.status_code == 404 and answer.json()["error"]["code"] == "not_found"


async def test_the_page_shows_every_channel_and_message_and_loads_nothing_from_elsewhere(gateway: Gateway) -> None:
    answer = await gateway.client.get("/v1/contracts/asyncapi.html")

    page = answer.text
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/html")
    assert "default-src 'none'" in answer.headers["Content-Security-Policy"]
    assert not re.search(r"<script|<link|<img|<iframe|\bsrc=|@import|url\(", page)
    for channel in asyncapi_document()["channels"].values():
        assert f"<code>{channel['address']}</code>" in page
    for message_type in MESSAGE_TYPES.values():
        assert f"<code>{message_type.ce_type()}</code>" in page
    for command in PARTNER_COMMANDS:
        assert f'id="message-{command.__name__}_v1_partner"' in page
    assert "match <code>ce_causationid</code> to your command's <code>ce_id</code>" in page
