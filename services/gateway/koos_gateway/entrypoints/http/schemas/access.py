"""Who a credential stands for, as a client may be told."""

from pydantic import BaseModel

from koos_gateway.domain.access import CallerKind


class CallerPublic(BaseModel):
    """The caller's kind (staff, partner, participant), organisation and role (organiser, trainer, ...)."""

    kind: CallerKind
    organisation_id: str
    role: str
