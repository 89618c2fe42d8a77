"""The audit trail: who read or changed which person's data, when; never the data itself (no name, no address)."""

from dataclasses import dataclass
from datetime import datetime
from typing import Literal
from uuid import NAMESPACE_URL, uuid4, uuid5

ActorKind = Literal["staff", "partner", "participant", "service"]


@dataclass(frozen=True)
class AuditEntry:
    """One access to, or change of, one person's data (`subject`: a registration id, `person_id`: the person)."""

    entry_id: str
    organisation_id: str
    actor_kind: ActorKind
    actor_id: str
    action: str
    subject: str
    person_id: str
    at: datetime


def access_entry(organisation_id: str, actor_kind: ActorKind, actor_id: str, action: str, subject: str,
                 person_id: str, at: datetime) -> AuditEntry:
    """An access the gateway served: each gets its own id."""
    return AuditEntry(str(uuid4()), organisation_id, actor_kind, actor_id, action, subject, person_id, at)


def event_entry(event_id: str, organisation_id: str, service: str, action: str, subject: str, person_id: str,
                at: datetime) -> AuditEntry:
    """A change a service made, as its event tells: the event's id makes the entry, so a replay adds nothing."""
    return AuditEntry(str(uuid5(NAMESPACE_URL, f"koos-audit:{event_id}")), organisation_id, "service", service,
                      action, subject, person_id, at)
