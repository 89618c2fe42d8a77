"""The people of an edition with their mails, for its organisers and trainers."""

from uuid import UUID

from fastapi import APIRouter

from koos_gateway.entrypoints.http.deps import CallerDep, PortsDep
from koos_gateway.entrypoints.http.schemas.errors import error_responses
from koos_gateway.entrypoints.http.schemas.ledgers import DeliveryPublic, FullRosterPublic
from koos_gateway.service_layer import people

router = APIRouter(tags=["registrations"])


@router.get("/v1/editions/{edition_id}/roster", response_model=FullRosterPublic,
            responses=error_responses(401, 403, 404))
async def full_roster(edition_id: UUID, caller: CallerDep, ports: PortsDep) -> FullRosterPublic:
    """Confirmed, waiting in order and cancelled, with each person's mails (organiser, trainer)."""
    return FullRosterPublic.of(await people.full_roster(str(edition_id), caller, ports))


@router.get("/v1/registrations/{registration_id}/mails", response_model=list[DeliveryPublic],
            responses=error_responses(401, 403, 404))
async def mail_log(registration_id: UUID, caller: CallerDep, ports: PortsDep) -> list[DeliveryPublic]:
    """The person's mails about the edition: delivered, in doubt (maybe twice) or failed (organiser, trainer)."""
    return [DeliveryPublic.of(d) for d in await people.mail_log(str(registration_id), caller, ports)]
