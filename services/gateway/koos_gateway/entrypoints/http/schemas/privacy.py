"""Export and erasure requests as the API takes and shows them."""

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, EmailStr

from koos_gateway.domain.privacy import PrivacyRequest, RequestKind, RequestStatus


class PersonByAddress(BaseModel):
    """The person an organiser asks for: the address they registered with."""

    model_config = ConfigDict(extra="forbid")

    email: EmailStr


class PrivacyRequestPublic(BaseModel):
    """A request and the answers so far: an export's document by service, an erasure's confirmations."""

    request_id: str
    kind: RequestKind
    status: RequestStatus
    requested_at: datetime
    answered: list[str]
    missing: list[str]
    confirmations: dict[str, dict[str, int]]
    document: dict[str, Any] | None
    links: dict[str, str]

    @classmethod
    def of(cls, request: PrivacyRequest, now: datetime) -> "PrivacyRequestPublic":
        links = {"self": f"/v1/privacy/requests/{request.request_id}"}
        if request.kind == "export":
            links["summary"] = f"/v1/privacy/requests/{request.request_id}/summary"
        return cls(request_id=request.request_id, kind=request.kind, status=request.status(now),
                   requested_at=request.requested_at, answered=sorted(request.answered), missing=request.missing,
                   confirmations=request.confirmations,
                   document=request.document() if request.kind == "export" else None, links=links)
