"""Editions for their organisation's staff: publish, list, read."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Response
from fastapi.responses import JSONResponse

from koos_gateway.domain.editions import EditionView
from koos_gateway.entrypoints.http.deps import CallerDep, CorrelationDep, PortsDep
from koos_gateway.entrypoints.http.responses import accepted
from koos_gateway.entrypoints.http.schemas.commands import CommandPublic
from koos_gateway.entrypoints.http.schemas.editions import EditionCreate, EditionDetail, EditionList
from koos_gateway.entrypoints.http.schemas.errors import error_responses
from koos_gateway.service_layer import editions
from koos_gateway.service_layer.editions import EditionAnswer
from koos_gateway.service_layer.unit import Ports

router = APIRouter(prefix="/v1/editions", tags=["editions"])

MAX_OFFSET = 1_000_000
"""Further than any organisation's editions go, and well inside what the database can skip (a 64-bit count)."""


@router.post("", status_code=201, response_model=EditionDetail,
             responses={202: {"model": CommandPublic, "description": "Not decided yet; poll the Location."},
                        **error_responses(401, 403, 422, 503)})
async def publish_edition(body: EditionCreate, caller: CallerDep, ports: PortsDep, correlation_id: CorrelationDep,
                          response: Response) -> EditionDetail | JSONResponse:
    """Publish an edition (organiser); waits a few seconds for scheduling's answer."""
    answer = await editions.publish(body.command(), caller, correlation_id, ports)
    return await edition_answer(answer, ports, response)


@router.get("", response_model=EditionList, responses=error_responses(401, 403))
async def list_editions(caller: CallerDep, ports: PortsDep, limit: Annotated[int, Query(ge=1, le=100)] = 50,
                        offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0) -> EditionList:
    """The caller's organisation's editions, the latest first (staff and partners)."""
    caller.require_staff_or_partner()
    found = await ports.editions.of_organisation(caller.organisation_id, limit, offset)
    items = [await detail(e, ports) for e in found]
    return EditionList(items=items, limit=limit, offset=offset)


@router.get("/{edition_id}", response_model=EditionDetail, responses=error_responses(401, 403, 404))
async def get_edition(edition_id: UUID, caller: CallerDep, ports: PortsDep) -> EditionDetail:
    """One edition of the caller's organisation (staff and partners)."""
    caller.require_staff_or_partner()
    edition = await editions.visible_edition(str(edition_id), caller, ports)
    return await detail(edition, ports)


async def detail(edition: EditionView, ports: Ports) -> EditionDetail:
    """The staff view of an edition, with its seat counts."""
    return EditionDetail.of_staff(edition, ports.clock.now())


async def edition_answer(answer: EditionAnswer, ports: Ports, response: Response,
                         created: bool = True) -> EditionDetail | JSONResponse:
    """201 (or 200) with the edition once the command succeeded, else 202 with where to poll."""
    if answer.edition is None:
        return accepted(answer.command)
    response.status_code = 201 if created else 200
    response.headers["Location"] = f"/v1/editions/{answer.edition.edition_id}"
    return await detail(answer.edition, ports)
