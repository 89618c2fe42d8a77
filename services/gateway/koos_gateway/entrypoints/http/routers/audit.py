"""The audit trail for organisers: who read or changed a person's data, in their own organisation only."""

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel

from koos_gateway.domain.audit import ActorKind, AuditEntry
from koos_gateway.entrypoints.http.deps import CallerDep, PortsDep
from koos_gateway.entrypoints.http.schemas.errors import error_responses
from koos_gateway.service_layer import audit

router = APIRouter(prefix="/v1/audit", tags=["audit"])
Limit = Annotated[int, Query(ge=1, le=1000, description="At most this many entries, the newest first.")]


class AuditEntryPublic(BaseModel):
    """One access to or change of a person's data: by whom, what, about which registration, when."""

    actor_kind: ActorKind
    actor_id: str
    action: str
    subject: str
    person_id: str
    at: datetime

    @classmethod
    def of(cls, entry: AuditEntry) -> "AuditEntryPublic":
        return cls(actor_kind=entry.actor_kind, actor_id=entry.actor_id, action=entry.action, subject=entry.subject,
                   person_id=entry.person_id, at=entry.at)


@router.get("/people/{person_id}", response_model=list[AuditEntryPublic], responses=error_responses(401, 403, 404))
async def person_trail(person_id: str, caller: CallerDep, ports: PortsDep, limit: Limit = 200,
                       ) -> list[AuditEntryPublic]:
    """Who read or changed this person's data (organisers of the person's organisation)."""
    return [AuditEntryPublic.of(e) for e in await audit.trail_of_person(person_id, caller, limit, ports)]


@router.get("", response_model=list[AuditEntryPublic], responses=error_responses(401, 403))
async def organisation_trail(caller: CallerDep, ports: PortsDep, limit: Limit = 200,
                             before: Annotated[datetime | None, Query(description="Older than this.")] = None,
                             ) -> list[AuditEntryPublic]:
    """Every access and change of people's data in the organiser's organisation, the newest first."""
    return [AuditEntryPublic.of(e) for e in await audit.trail_of_organisation(caller, limit, before, ports)]
