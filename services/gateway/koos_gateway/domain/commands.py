"""Commands the gateway sent and how they turned out, found by the command's envelope id."""

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

CommandStatus = Literal["pending", "succeeded", "refused"]


@dataclass(frozen=True)
class CommandRecord:
    """A command and, once known, its outcome; `resource` is the path of what it is about."""

    command_id: str
    organisation_id: str
    kind: str
    status: CommandStatus
    issued_by: str | None = None
    resource: str | None = None
    accepted_at: datetime | None = None
    reason: str | None = None
    settled_at: datetime | None = None
    reason_code: str | None = None
    outcome_type: str | None = None
    """The CloudEvents type of the event that settled it."""

    @property
    def is_settled(self) -> bool:
        """Whether the owning service has answered."""
        return self.status != "pending"


@dataclass(frozen=True)
class Outcome:
    """The answer of the owning service to a command: an event whose causation id is the command's id."""

    command_id: str
    organisation_id: str
    status: Literal["succeeded", "refused"]
    event_type: str
    settled_at: datetime
    reason: str | None = None
    reason_code: str | None = None
