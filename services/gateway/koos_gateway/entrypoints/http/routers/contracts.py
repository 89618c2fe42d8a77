"""The published contract on Kafka: the AsyncAPI document (JSON and a page to read) and the JSON Schemas.

Everything a partner needs to write its own client comes from here, without credentials; the payloads of
the document reference the schemas relatively (`schemas/<type>.json`), so both resolve from this address.
"""

from functools import cache
from typing import Any

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, JSONResponse

from koos_contracts.asyncapi import asyncapi_document
from koos_contracts.catalogue import MESSAGE_TYPES
from koos_contracts.schemagen import message_schema
from koos_gateway.domain.errors import NotFound
from koos_gateway.entrypoints.http.contract_page import contract_page
from koos_gateway.entrypoints.http.schemas.errors import error_responses

router = APIRouter(prefix="/v1/contracts", tags=["contracts"])

CACHED = {"Cache-Control": "public, max-age=300"}
PAGE_POLICY = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"


@cache
def _document() -> dict[str, Any]:
    return asyncapi_document()


@router.get("/asyncapi.json", response_class=JSONResponse)
async def asyncapi_json() -> JSONResponse:
    """The AsyncAPI 3.0 document: servers, partner channels, headers, keys, examples, DLQ and retry twins."""
    return JSONResponse(_document(), headers=CACHED)


@router.get("/asyncapi.html", response_class=HTMLResponse)
async def asyncapi_html() -> HTMLResponse:
    """The same document as a page to read, rendered by the gateway itself."""
    return HTMLResponse(contract_page(), headers={**CACHED, "Content-Security-Policy": PAGE_POLICY})


@router.get("/schemas/{type_name}.json", response_class=JSONResponse, responses=error_responses(404))
async def message_schema_json(type_name: str) -> JSONResponse:
    """The JSON Schema (2020-12) of one message type's value, e.g. `koos.registration.RegisterParticipant.v1`."""
    message_type = MESSAGE_TYPES.get(type_name)
    if message_type is None:
        raise NotFound(f"no message type {type_name}")
    return JSONResponse(message_schema(message_type), headers=CACHED)
