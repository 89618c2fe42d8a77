"""The CloudEvents 1.0 envelope of every Koos message, with Koos's extension attributes."""

from datetime import UTC, datetime
from typing import Any, Literal
from uuid import uuid4

from pydantic import BaseModel, ConfigDict, Field

from koos_contracts.base import Message

SCHEMA_BASE_URI = "https://koos.example/schemas"


class Envelope(BaseModel):
    """CloudEvents 1.0 attributes, the extensions Koos uses, and the data; unknown extensions are ignored."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    id: str = Field(min_length=1)
    source: str = Field(min_length=1)
    type: str = Field(min_length=1)
    specversion: Literal["1.0"] = "1.0"
    time: datetime
    subject: str | None = None
    datacontenttype: str = "application/json"
    dataschema: str | None = None
    correlationid: str = Field(min_length=1)
    causationid: str | None = None
    organisationid: str = Field(min_length=1)
    partitionkey: str = Field(min_length=1)
    data: dict[str, Any]


def dataschema_for(message_type: type[Message]) -> str:
    """The URI of the JSON Schema of a message type."""
    return f"{SCHEMA_BASE_URI}/{message_type.ce_type()}.json"


def wrap(
    message: Message,
    *,
    source: str,
    organisation_id: str,
    correlation_id: str | None = None,
    causation_id: str | None = None,
    event_id: str | None = None,
    time: datetime | None = None,
) -> Envelope:
    """Put a message into an envelope ready to publish."""
    new_id = event_id or str(uuid4())
    return Envelope(
        id=new_id,
        source=source,
        type=message.ce_type(),
        time=time or datetime.now(UTC),
        subject=message.subject(),
        dataschema=dataschema_for(type(message)),
        correlationid=correlation_id or new_id,
        causationid=causation_id,
        organisationid=organisation_id,
        partitionkey=message.partition_key(),
        data=message.model_dump(mode="json"),
    )
