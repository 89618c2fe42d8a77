"""Answers shared by several routes."""

from typing import Any

from fastapi import Response
from fastapi.responses import JSONResponse

from koos_gateway.domain.commands import CommandRecord
from koos_gateway.entrypoints.http.schemas.commands import CommandPublic

CALENDAR_TYPE = "text/calendar; charset=utf-8"
CALENDAR_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/calendar": {}}, "description": "An iCalendar (RFC 5545) document."}}


def accepted(record: CommandRecord) -> JSONResponse:
    """202: the command is on its way; poll the Location for its outcome."""
    location = f"/v1/commands/{record.command_id}"
    return JSONResponse(CommandPublic.of(record).model_dump(mode="json"), status_code=202,
                        headers={"Location": location})


def calendar_response(document: bytes, filename: str) -> Response:
    """An iCalendar document, with a file name for browsers."""
    return Response(document, media_type=CALENDAR_TYPE,
                    headers={"Content-Disposition": f'inline; filename="{filename}"'})
