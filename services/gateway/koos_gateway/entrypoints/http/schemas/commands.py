"""Commands as the API shows them: accepted, then succeeded or refused."""

from datetime import datetime

from pydantic import BaseModel, Field

from koos_gateway.domain.commands import CommandRecord, CommandStatus


class CommandPublic(BaseModel):
    """A command sent to a service and, once known, how it turned out."""

    command_id: str
    kind: str = Field(description="e.g. PublishEdition, RegisterParticipant.")
    status: CommandStatus
    reason: str | None = None
    accepted_at: datetime | None = None
    settled_at: datetime | None = None
    links: dict[str, str] = Field(default_factory=dict)

    @classmethod
    def of(cls, record: CommandRecord) -> "CommandPublic":
        """From the command log."""
        links = {"self": f"/v1/commands/{record.command_id}"}
        if record.resource:
            links["resource"] = record.resource
        return cls(command_id=record.command_id, kind=record.kind, status=record.status, reason=record.reason,
                   accepted_at=record.accepted_at, settled_at=record.settled_at, links=links)
