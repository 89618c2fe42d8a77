"""What anyone may do without credentials: read a published edition, sign up, subscribe to its calendar."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Response

from koos_contracts.values import Language
from koos_gateway.entrypoints.http.deps import BaseUrlDep, CorrelationDep, PortsDep, WaitQuery, signup_rate_limit
from koos_gateway.entrypoints.http.responses import CALENDAR_RESPONSE, calendar_response
from koos_gateway.entrypoints.http.routers.registrations import SIGN_UP_RESPONSES, sign_up_answer
from koos_gateway.entrypoints.http.schemas.editions import EditionPublic
from koos_gateway.entrypoints.http.schemas.errors import error_responses
from koos_gateway.entrypoints.http.schemas.registrations import RegistrationAccepted, SignUpRequest
from koos_gateway.service_layer import calendars, editions, registrations

router = APIRouter(tags=["public"])


@router.get("/v1/public/editions/{edition_id}", response_model=EditionPublic, responses=error_responses(404))
async def get_public_edition(edition_id: UUID, ports: PortsDep) -> EditionPublic:
    """Title, description, sessions, seats left and the registration window: no personal data."""
    edition = await editions.public_edition(str(edition_id), ports)
    return EditionPublic.of(edition, ports.clock.now())


@router.post("/v1/public/editions/{edition_id}/registrations", status_code=202,
             response_model=RegistrationAccepted, dependencies=[Depends(signup_rate_limit)],
             responses={**SIGN_UP_RESPONSES, **error_responses(404, 409, 422, 429, 503)})
async def sign_up(edition_id: UUID, person: SignUpRequest, ports: PortsDep, correlation_id: CorrelationDep,
                  response: Response, wait: WaitQuery = 0) -> RegistrationAccepted:
    """Sign up for an edition while its registration window is open (rate-limited per client address); the consent
    given (purposes and the wording's version) is recorded with the registration, with the time it arrived."""
    consent = person.consent
    answer = await registrations.sign_up_publicly(
        str(edition_id), person.person(), correlation_id, wait, ports,
        consent=registrations.Given(consent.purposes, consent.wording_version) if consent else None)
    return sign_up_answer(answer, response)


@router.get("/v1/editions/{edition_id}/calendar.ics", response_class=Response, tags=["calendars"],
            responses={**CALENDAR_RESPONSE, **error_responses(404)})
async def edition_calendar(edition_id: UUID, ports: PortsDep, base_url: BaseUrlDep,
                           lang: Annotated[Language | None, Query(description="Language of titles.")] = None,
                           ) -> Response:
    """The sessions of a published edition as an iCalendar feed; moved sessions carry a higher SEQUENCE."""
    document = await calendars.edition_feed(str(edition_id), lang, base_url, ports)
    return calendar_response(document, f"{edition_id}.ics")
