"""What the handlers and the send loop need from the outside world."""

import abc
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from koos_contracts import Envelope
from koos_kit.clock import Clock
from koos_notifications.domain.delivery import Failure, RetryPolicy
from koos_notifications.domain.edition import EditionCopy, SessionMove
from koos_notifications.domain.notification import Notification
from koos_notifications.domain.participant import ParticipantCopy
from koos_notifications.service_layer.mailing import DeliveryLookup, Mailer, MailRenderer, MailSettings

LookupAnswer = Literal["not_received", "unknown"]


class Editions(abc.ABC):
    """Notifications' copy of editions; each change applies once per event id."""

    @abc.abstractmethod
    async def add(self, edition: EditionCopy) -> None:
        """Store a published edition; storing it again changes nothing."""

    @abc.abstractmethod
    async def get(self, edition_id: str) -> EditionCopy | None: ...

    @abc.abstractmethod
    async def move_session(self, edition_id: str, move: SessionMove, event_id: str) -> None:
        """Give a session its new time and venue and raise its revision, once per event."""

    @abc.abstractmethod
    async def cancel_session(self, edition_id: str, session_id: str, event_id: str) -> None:
        """Mark a session cancelled and raise its revision, once per event."""

    @abc.abstractmethod
    async def live(self, now: datetime) -> list[EditionCopy]:
        """Editions with a session still ahead (perhaps one since moved earlier)."""

    @abc.abstractmethod
    async def mark_reminded(self, edition_id: str, slot_keys: Collection[str]) -> None:
        """Note that the reminders of these slots are planned for everyone seated so far."""


class Participants(abc.ABC):
    """Registrations with their contact data and standing."""

    @abc.abstractmethod
    async def record(self, participant: ParticipantCopy, event_id: str) -> None:
        """Store a participant's new standing, once per event."""

    @abc.abstractmethod
    async def cancel(self, registration_id: str, event_id: str) -> None:
        """Mark a registration cancelled, once per event."""

    @abc.abstractmethod
    async def get(self, registration_id: str) -> ParticipantCopy | None: ...

    @abc.abstractmethod
    async def confirmed_in(self, edition_id: str) -> list[ParticipantCopy]:
        """Everyone holding a seat in an edition."""


@dataclass(frozen=True)
class Claim:
    """A notification taken for one attempt (numbered from 1); `in_doubt` if an earlier attempt may have sent it."""

    notification: Notification
    attempt: int
    in_doubt: bool = False


class Notifications(abc.ABC):
    """Notifications and their delivery log; a change of state and the event it raises are one write."""

    @abc.abstractmethod
    async def add(self, notifications: Sequence[Notification]) -> int:
        """Store new notifications, ignoring ids stored before; return how many were new."""

    @abc.abstractmethod
    async def cancel_reminders(self, edition_id: str, reason: str, *, session_id: str | None = None,
                               registration_id: str | None = None, except_revision: int | None = None) -> int:
        """Cancel pending reminders of an edition (of one session, of one person); return how many."""

    @abc.abstractmethod
    async def claim_in_doubt(self, now: datetime, lease_until: datetime) -> Claim | None:
        """Take one notification whose sender vanished while sending (its lease ran out); it stays in doubt."""

    @abc.abstractmethod
    async def claim_due(self, now: datetime, lease_until: datetime) -> Claim | None:
        """Take the pending notification due first, if one is due (in doubt if an earlier attempt may have sent it)."""

    @abc.abstractmethod
    async def mark_sent(self, claim: Claim, at: datetime, reply_code: int, envelopes: Sequence[Envelope]) -> bool:
        """Record the success with its event; False if another sender took the notification over."""

    @abc.abstractmethod
    async def mark_found_delivered(self, claim: Claim, at: datetime, envelopes: Sequence[Envelope]) -> bool:
        """Record that the provider holds the mail of an earlier attempt, with the sent event; nothing is resent."""

    @abc.abstractmethod
    async def note_resend(self, claim: Claim, at: datetime, lookup: LookupAnswer) -> None:
        """Log that a notification in doubt is sent again, and what the provider said of the earlier attempt."""

    @abc.abstractmethod
    async def retry_later(self, claim: Claim, at: datetime, next_attempt_at: datetime, failure: Failure) -> None:
        """Record a failed attempt and when to try again; an uncertain failure leaves the notification in doubt."""

    @abc.abstractmethod
    async def mark_failed(self, claim: Claim, at: datetime, failure: Failure, envelopes: Sequence[Envelope]) -> None:
        """Record the last failed attempt with its event; no more tries."""

    @abc.abstractmethod
    async def skip(self, claim: Claim, at: datetime, reason: str) -> None:
        """Record that the notification no longer holds and is not sent."""


@dataclass(frozen=True)
class DeliverySettings:
    """How the send loop retries, how long a claim lasts (then it is in doubt), how early reminders are planned."""

    retry: RetryPolicy
    lease: timedelta = timedelta(seconds=30)
    reminder_lead: timedelta = timedelta(minutes=10)


@dataclass(frozen=True)
class Ports:
    """Everything a handler or the send loop may touch."""

    editions: Editions
    participants: Participants
    notifications: Notifications
    mailer: Mailer
    lookup: DeliveryLookup
    renderer: MailRenderer
    clock: Clock
    mail: MailSettings
    delivery: DeliverySettings
    source: str = "/koos/notifications"
