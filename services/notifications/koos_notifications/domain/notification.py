"""A notification: one mail about one event to one person, with a deterministic id."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, get_args
from uuid import UUID, uuid5

from koos_contracts.notifications import NotificationKind
from koos_notifications.domain.cause import Cause
from koos_notifications.domain.participant import ParticipantCopy, Recipient

TeamMailKind = Literal["team_applied", "team_refused", "team_accepted", "team_waitlisted", "team_declined",
                       "team_member_joined", "team_member_left", "outside_date_reminder",
                       "workshop_dated"]
"""Mails about teams of a development programme; their deliveries are not announced on the deliveries topic,
whose `NotificationKind` is published (a new kind there is a new version of its events)."""
SelectionKind = Literal["application_received", "application_admitted", "application_declined", "juror_reminder",
                        "selection_selected", "selection_thanked", "mentor_assigned"]
"""Mails of a juried selection; not announced on the deliveries topic either, for the same reason."""
PrivacyKind = Literal["export_ready"]
"""Mails about a person's data as a whole (their export is ready); not announced on the deliveries topic either."""
MailKind = NotificationKind | TeamMailKind | SelectionKind | PrivacyKind
UNANNOUNCED_KINDS: frozenset[str] = (frozenset(get_args(TeamMailKind)) | frozenset(get_args(SelectionKind))
                                     | frozenset(get_args(PrivacyKind)))

NOTIFICATION_NAMESPACE = UUID("0c4b3a52-9f8e-4d1e-a7b5-5e2f0d6c9a17")


def notification_id_for(cause_event_id: str, registration_id: str) -> str:
    """The id of the mail an event causes for one registration: the same event never mails twice."""
    return str(uuid5(NOTIFICATION_NAMESPACE, f"event:{cause_event_id}:{registration_id}"))


def reminder_id_for(registration_id: str, session_id: str, offset_minutes: int, revision: int) -> str:
    """The id of one reminder: per registration, session, offset and version of the session's time."""
    return str(uuid5(NOTIFICATION_NAMESPACE, f"reminder:{registration_id}:{session_id}:{offset_minutes}:{revision}"))


@dataclass(frozen=True)
class Notification:
    """A mail to send at `due_at`; `details` holds what its kind needs to say."""

    notification_id: str
    kind: MailKind
    edition_id: str
    registration_id: str
    organisation_id: str
    recipient: Recipient
    due_at: datetime
    cause: Cause
    details: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def for_event(cls, kind: MailKind, participant: ParticipantCopy, cause: Cause, due_at: datetime,
                  **details: Any) -> "Notification":
        """The one mail an event causes for a participant."""
        return cls(notification_id=notification_id_for(cause.event_id, participant.registration_id), kind=kind,
                   edition_id=participant.edition_id, registration_id=participant.registration_id,
                   organisation_id=participant.organisation_id, recipient=participant.recipient, due_at=due_at,
                   cause=cause, details=details)

    @property
    def announces_delivery(self) -> bool:
        """Whether its sending or failure is published (as `NotificationSent` / `NotificationFailed`)."""
        return self.kind not in UNANNOUNCED_KINDS

    @property
    def is_reminder(self) -> bool:
        return self.kind == "session_reminder"
