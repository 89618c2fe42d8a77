"""Messages of the notifications service: what was sent to whom, and what failed."""

from typing import ClassVar, Literal
from uuid import UUID

from pydantic import AwareDatetime

from koos_contracts.base import Event
from koos_contracts.topics import DELIVERIES, Topic

NotificationKind = Literal[
    "registration_confirmed",
    "registration_waitlisted",
    "registration_promoted",
    "registration_cancelled",
    "session_reminder",
    "session_rescheduled",
    "session_cancelled",
    "feedback_requested",
]


class _DeliveryEvent(Event):
    topic: ClassVar[Topic] = DELIVERIES
    key_field: ClassVar[str] = "person_id"

    notification_id: str
    kind: NotificationKind
    edition_id: UUID
    person_id: str

    def subject(self) -> str:
        return self.notification_id


class NotificationSent(_DeliveryEvent):
    """A notification was handed to the mail server."""

    sent_at: AwareDatetime
    attempts: int


class NotificationFailed(_DeliveryEvent):
    """A notification could not be delivered after every retry."""

    failed_at: AwareDatetime
    attempts: int
    reason: str
