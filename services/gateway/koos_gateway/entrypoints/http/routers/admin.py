"""Platform operators manage partner API keys, for any organisation."""

from typing import Annotated

from fastapi import APIRouter, Query

from koos_gateway.entrypoints.http.deps import CallerDep, PortsDep
from koos_gateway.entrypoints.http.schemas.admin import ApiKeyCreate, ApiKeyCreated, ApiKeyPublic
from koos_gateway.entrypoints.http.schemas.errors import error_responses
from koos_gateway.service_layer import api_keys

router = APIRouter(prefix="/v1/admin/api-keys", tags=["admin"])


@router.post("", status_code=201, response_model=ApiKeyCreated, responses=error_responses(401, 403, 422))
async def create_api_key(body: ApiKeyCreate, caller: CallerDep, ports: PortsDep) -> ApiKeyCreated:
    """A key bound to one organisation; its secret is in this answer only (operator)."""
    issued = await api_keys.issue(body.organisation_id, body.label, caller, ports)
    return ApiKeyCreated(**ApiKeyPublic.of(issued.key).model_dump(), api_key=issued.secret)


@router.get("", response_model=list[ApiKeyPublic], responses=error_responses(401, 403))
async def list_api_keys(caller: CallerDep, ports: PortsDep,
                        organisation_id: Annotated[str | None, Query(max_length=100)] = None) -> list[ApiKeyPublic]:
    """Keys of one organisation, or of all (operator); secrets are never shown again."""
    return [ApiKeyPublic.of(k) for k in await api_keys.listed(organisation_id, caller, ports)]


@router.delete("/{key_id}", response_model=ApiKeyPublic, responses=error_responses(401, 403, 404))
async def revoke_api_key(key_id: str, caller: CallerDep, ports: PortsDep) -> ApiKeyPublic:
    """Revoke a key; requests with it are refused from now on (operator)."""
    return ApiKeyPublic.of(await api_keys.revoke(key_id, caller, ports))
