"""What a participant sees with their token: their own registrations and calendar."""

from typing import Annotated

from fastapi import APIRouter, Query, Response

from koos_gateway.entrypoints.http.deps import BaseUrlDep, CallerDep, PortsDep
from koos_gateway.entrypoints.http.responses import CALENDAR_RESPONSE, calendar_response
from koos_gateway.entrypoints.http.schemas.access import CallerPublic
from koos_gateway.entrypoints.http.schemas.errors import error_responses
from koos_gateway.entrypoints.http.schemas.registrations import RegistrationPublic
from koos_gateway.service_layer import calendars, registrations

router = APIRouter(prefix="/v1/me", tags=["participants"])


@router.get("/caller", response_model=CallerPublic, tags=["access"], responses=error_responses(401))
async def who_is_calling(caller: CallerDep) -> CallerPublic:
    """Who the credential says the caller is: kind, organisation and role — so that a client shows only what
    the role may do (the gateway checks every request itself all the same)."""
    return CallerPublic(kind=caller.kind, organisation_id=caller.organisation_id, role=caller.role)


@router.get("/registrations", response_model=list[RegistrationPublic], responses=error_responses(401, 403))
async def my_registrations(caller: CallerDep, ports: PortsDep) -> list[RegistrationPublic]:
    """The participant's own registrations, with waiting positions."""
    return [RegistrationPublic.of(p) for p in await registrations.of_participant(caller, ports)]


@router.get("/calendar.ics", response_class=Response, tags=["calendars"],
            responses={**CALENDAR_RESPONSE, **error_responses(401, 403)})
async def my_calendar(token: Annotated[str, Query(min_length=1, description="The participant token.")],
                      ports: PortsDep, base_url: BaseUrlDep) -> Response:
    """The sessions of the participant's confirmed registrations (token in the query: calendar apps send no headers)."""
    document = await calendars.participant_feed(token, base_url, ports)
    return calendar_response(document, "koos.ics")
