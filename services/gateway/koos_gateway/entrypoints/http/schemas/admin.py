"""Partner API keys as operators manage them."""

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from koos_gateway.domain.api_keys import ApiKey

Name = Annotated[str, Field(min_length=1, max_length=100)]


class ApiKeyCreate(BaseModel):
    """Which organisation the key acts for, and a label to recognise it by (e.g. "HR system")."""

    model_config = ConfigDict(extra="forbid")

    organisation_id: Name
    label: Name


class ApiKeyPublic(BaseModel):
    """A key without its secret."""

    key_id: str
    organisation_id: str
    label: str
    created_at: datetime
    created_by: str
    revoked_at: datetime | None
    active: bool

    @classmethod
    def of(cls, key: ApiKey) -> "ApiKeyPublic":
        return cls(key_id=key.key_id, organisation_id=key.organisation_id, label=key.label,
                   created_at=key.created_at, created_by=key.created_by, revoked_at=key.revoked_at,
                   active=key.is_active)


class ApiKeyCreated(ApiKeyPublic):
    """A new key; `api_key` is shown this once: send it as the `X-API-Key` header."""

    api_key: str
