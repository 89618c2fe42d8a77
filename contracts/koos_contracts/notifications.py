"""Messages of the notifications service: what was sent to whom, what failed, and links mailed again."""

from typing import ClassVar, Literal
from uuid import UUID

from pydantic import AwareDatetime, EmailStr

from koos_contracts.base import Command, Event
from koos_contracts.identity import registration_id_for
from koos_contracts.topics import DELIVERIES, NOTIFICATION_COMMANDS, Topic
from koos_contracts.values import Personal

NotificationKind = Literal[
    "registration_confirmed",
    "registration_waitlisted",
    "registration_promoted",
    "registration_cancelled",
    "session_reminder",
    "session_rescheduled",
    "session_cancelled",
    "feedback_requested",
    "links_resent",
]
Doubt = Literal["found_delivered", "resent"]
"""How a send that an earlier attempt may have made already was settled: the provider had it, or it went again."""


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
    """A notification was handed to the mail server; `doubt` says whether an earlier attempt may have sent it too."""

    sent_at: AwareDatetime
    attempts: int
    doubt: Doubt | None = None


class NotificationFailed(_DeliveryEvent):
    """A notification could not be delivered after every retry."""

    failed_at: AwareDatetime
    attempts: int
    reason: str


class ResendLinks(Command):
    """Mail a person the current links of their registration for an edition again, if they have one.

    Whoever asks learns nothing from the answer about whether the address is registered.
    """

    topic: ClassVar[Topic] = NOTIFICATION_COMMANDS
    key_field: ClassVar[str] = "edition_id"

    edition_id: UUID
    email: Personal[EmailStr]
    subject_id: str | None = None
    """The person's subject id when Koos knows the address (whose key seals it)."""

    @property
    def registration_id(self) -> UUID:
        return registration_id_for(self.edition_id, self.email)


class LinksResent(Event):
    """The answer to ResendLinks: `mailed` is False when there was no active registration, or one was just mailed."""

    topic: ClassVar[Topic] = DELIVERIES
    key_field: ClassVar[str] = "edition_id"

    edition_id: UUID
    registration_id: UUID
    mailed: bool

    def subject(self) -> str:
        return str(self.registration_id)


OUTCOMES = {ResendLinks: (LinksResent,)}
"""The events that answer each command, one of them exactly once, with the command's id as causation."""
