"""What the gateway knows of what happened to people and sessions: mails delivered or not, sessions held."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

DeliveryState = Literal["delivered", "in_doubt", "failed"]


@dataclass(frozen=True)
class DeliveryView:
    """One mail to one person, as notifications last reported it.

    `in_doubt`: the mail went out again after an attempt whose outcome was lost, without the provider being able
    to say whether the first one arrived: the person may have it twice.
    """

    notification_id: str
    organisation_id: str
    edition_id: str
    person_id: str
    kind: str
    state: DeliveryState
    at: datetime
    attempts: int
    reason: str | None = None

    @classmethod
    def sent(cls, notification_id: str, organisation_id: str, edition_id: str, person_id: str, kind: str,
             at: datetime, attempts: int, doubt: str | None) -> "DeliveryView":
        state: DeliveryState = "in_doubt" if doubt == "resent" else "delivered"
        return cls(notification_id, organisation_id, edition_id, person_id, kind, state, at, attempts)


@dataclass(frozen=True)
class EditionProgress:
    """Which sessions of an edition were held (their end passed, or an organiser said so), and whether it is over."""

    edition_id: str
    held: dict[str, datetime] = field(default_factory=dict)
    over: bool = False
