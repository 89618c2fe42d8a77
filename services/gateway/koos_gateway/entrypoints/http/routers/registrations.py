"""Registrations: by an organiser or partner system, lists for staff, status and cancellation."""

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse

from koos_contracts.values import Person
from koos_gateway.entrypoints.http.deps import CallerDep, CorrelationDep, PortsDep, WaitQuery
from koos_gateway.entrypoints.http.responses import accepted
from koos_gateway.entrypoints.http.schemas.commands import CommandPublic
from koos_gateway.entrypoints.http.schemas.errors import error_responses
from koos_gateway.entrypoints.http.schemas.registrations import (
    ConsentWithdrawal,
    RegistrationAccepted,
    RegistrationPublic,
    RosterPublic,
)
from koos_gateway.service_layer import registrations
from koos_gateway.service_layer.registrations import SignUp

router = APIRouter(tags=["registrations"])

SIGN_UP_RESPONSES: dict[int | str, dict[str, Any]] = {
    201: {"model": RegistrationAccepted, "description": "Decided: confirmed, or waiting with a position."},
    202: {"model": RegistrationAccepted, "description": "Accepted; the decision follows (status `pending`)."},
}


@router.post("/v1/editions/{edition_id}/registrations", status_code=202, response_model=RegistrationAccepted,
             responses={**SIGN_UP_RESPONSES, **error_responses(401, 403, 404, 409, 422, 503)})
async def register_participant(edition_id: UUID, person: Person, caller: CallerDep, ports: PortsDep,
                               correlation_id: CorrelationDep, response: Response,
                               wait: WaitQuery = 0) -> RegistrationAccepted:
    """Register a person (organiser or partner system); registering twice is the same registration."""
    sign_up = await registrations.register_for(str(edition_id), person, caller, correlation_id, wait, ports)
    return sign_up_answer(sign_up, response)


@router.get("/v1/editions/{edition_id}/registrations", response_model=RosterPublic,
            responses=error_responses(401, 403, 404))
async def list_registrations(edition_id: UUID, caller: CallerDep, ports: PortsDep) -> RosterPublic:
    """Confirmed and waiting lists with contact data, the waiting list in queue order (organiser, trainer)."""
    return RosterPublic.of(await registrations.roster(str(edition_id), caller, ports))


@router.get("/v1/registrations/{registration_id}", response_model=RegistrationPublic,
            responses=error_responses(401, 404))
async def get_registration(registration_id: UUID, caller: CallerDep, ports: PortsDep) -> RegistrationPublic:
    """A registration's status and current waiting position (the participant, staff or partner)."""
    registration = await registrations.read_registration(str(registration_id), caller, ports)
    return RegistrationPublic.of(await registrations.placed(registration, ports))


@router.delete("/v1/registrations/{registration_id}", status_code=202, response_model=CommandPublic,
               responses=error_responses(401, 403, 404, 503))
async def cancel_registration(registration_id: UUID, caller: CallerDep, ports: PortsDep,
                              correlation_id: CorrelationDep) -> JSONResponse:
    """Cancel, or leave the waiting list (the participant, an organiser or a partner); the line moves up."""
    return accepted(await registrations.cancel(str(registration_id), caller, correlation_id, ports))


@router.post("/v1/registrations/{registration_id}/consent/withdrawals", status_code=202, response_model=CommandPublic,
             responses=error_responses(401, 403, 404, 422, 503))
async def withdraw_consent(registration_id: UUID, withdrawal: ConsentWithdrawal, caller: CallerDep, ports: PortsDep,
                           correlation_id: CorrelationDep) -> JSONResponse:
    """Withdraw consent to optional uses (e.g. `next_editions`): the participant, or an organiser on their behalf;
    the registration stays."""
    return accepted(await registrations.withdraw_consent(str(registration_id), withdrawal.purposes, caller,
                                                         correlation_id, ports))


def sign_up_answer(sign_up: SignUp, response: Response) -> RegistrationAccepted:
    """201 with the registration once decided; 202 while pending, with the command to follow."""
    registration = sign_up.placed.registration
    decided = registration.is_active
    response.status_code = 201 if decided else 202
    response.headers["Location"] = (f"/v1/registrations/{registration.registration_id}" if decided
                                    else f"/v1/commands/{sign_up.command.command_id}")
    return RegistrationAccepted.of_sign_up(sign_up)
