"""Where a 202 points: the outcome of a command."""

from fastapi import APIRouter

from koos_gateway.entrypoints.http.deps import CallerDep, PortsDep
from koos_gateway.entrypoints.http.schemas.commands import CommandPublic
from koos_gateway.entrypoints.http.schemas.errors import error_responses
from koos_gateway.service_layer import commands

router = APIRouter(prefix="/v1/commands", tags=["commands"])


@router.get("/{command_id}", response_model=CommandPublic, responses=error_responses(401, 404))
async def get_command(command_id: str, caller: CallerDep, ports: PortsDep) -> CommandPublic:
    """Pending, succeeded or refused (with the reason); only for the caller's organisation."""
    return CommandPublic.of(await commands.visible_command(command_id, caller, ports))
