"""A person's data as a whole: their export (asked by themself or an organiser) and their erasure (an organiser)."""

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse, PlainTextResponse

from koos_gateway.domain.privacy import PrivacyRequest, summary
from koos_gateway.entrypoints.http.deps import CallerDep, CorrelationDep, PortsDep
from koos_gateway.entrypoints.http.schemas.errors import error_responses
from koos_gateway.entrypoints.http.schemas.privacy import PersonByAddress, PrivacyRequestPublic
from koos_gateway.service_layer import privacy
from koos_gateway.service_layer.unit import Ports

router = APIRouter(tags=["personal data"])


@router.post("/v1/me/exports", status_code=202, response_model=PrivacyRequestPublic,
             responses=error_responses(401, 403, 503))
async def export_my_data(caller: CallerDep, ports: PortsDep, correlation_id: CorrelationDep) -> JSONResponse:
    """Ask for everything Koos holds about you (participant token); every service adds its part."""
    return _accepted(await privacy.export_mine(caller, correlation_id, ports), ports)


@router.post("/v1/people/exports", status_code=202, response_model=PrivacyRequestPublic,
             responses=error_responses(401, 403, 404, 422, 503))
async def export_for_person(person: PersonByAddress, caller: CallerDep, ports: PortsDep,
                            correlation_id: CorrelationDep) -> JSONResponse:
    """Ask, on a person's behalf, for everything Koos holds about them (organiser)."""
    return _accepted(await privacy.ask_for("export", person.email, caller, correlation_id, ports), ports)


@router.post("/v1/people/erasures", status_code=202, response_model=PrivacyRequestPublic,
             responses=error_responses(401, 403, 404, 422, 503))
async def erase_person(person: PersonByAddress, caller: CallerDep, ports: PortsDep,
                       correlation_id: CorrelationDep) -> JSONResponse:
    """Erase a person in every service (organiser); follow the confirmations at the Location."""
    return _accepted(await privacy.ask_for("erasure", person.email, caller, correlation_id, ports), ports)


@router.get("/v1/privacy/requests/{request_id}", response_model=PrivacyRequestPublic,
            responses=error_responses(401, 403, 404))
async def get_request(request_id: str, caller: CallerDep, ports: PortsDep) -> PrivacyRequestPublic:
    """A request with the answers so far; after its deadline it says which services did not answer."""
    request = await privacy.visible_request(request_id, caller, ports)
    return PrivacyRequestPublic.of(request, ports.clock.now())


@router.get("/v1/privacy/requests/{request_id}/summary", response_class=Response,
            responses={200: {"content": {"text/plain": {"schema": {"type": "string"}}},
                             "description": "The export, as text a person can read."},
                       **error_responses(401, 403, 404)})
async def get_summary(request_id: str, caller: CallerDep, ports: PortsDep) -> PlainTextResponse:
    """An export as text a person can read."""
    request = await privacy.visible_request(request_id, caller, ports)
    return PlainTextResponse(summary(request, ports.clock.now()))


def _accepted(request: PrivacyRequest, ports: Ports) -> JSONResponse:
    body = PrivacyRequestPublic.of(request, ports.clock.now())
    return JSONResponse(body.model_dump(mode="json"), status_code=202, headers={"Location": body.links["self"]})
