"""Without credentials: follow a sign-up's decision by its command id, and ask for one's links again."""

from uuid import UUID

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse

from koos_gateway.entrypoints.http.deps import CorrelationDep, PortsDep, WaitQuery, signup_rate_limit
from koos_gateway.entrypoints.http.schemas.errors import error_responses
from koos_gateway.entrypoints.http.schemas.ledgers import LinksRequest, LinksRequested, SignUpDecision
from koos_gateway.service_layer import public_follow

router = APIRouter(prefix="/v1/public", tags=["public"])


@router.get("/sign-ups/{command_id}", response_model=SignUpDecision, responses=error_responses(404))
async def sign_up_decision(command_id: UUID, ports: PortsDep, wait: WaitQuery = 0) -> SignUpDecision:
    """The decision on a sign-up, by the `command_id` its answer gave: pending, confirmed, waiting (with the
    place in line) or refused. Waits up to `wait` seconds for it."""
    record, placed = await public_follow.sign_up_decision(str(command_id), wait, ports)
    return SignUpDecision.of(record, placed)


@router.post("/editions/{edition_id}/links", status_code=202, response_model=LinksRequested,
             dependencies=[Depends(signup_rate_limit)], responses=error_responses(404, 422, 429, 503))
async def resend_links(edition_id: UUID, body: LinksRequest, ports: PortsDep,
                       correlation_id: CorrelationDep) -> JSONResponse:
    """Mail the person's links for this edition again if the address is registered; the answer is the same
    either way (rate-limited per client address, and notifications mails at most once in ten minutes)."""
    await public_follow.resend_links(str(edition_id), body.email, correlation_id, ports)
    return JSONResponse(LinksRequested().model_dump(), status_code=202)
