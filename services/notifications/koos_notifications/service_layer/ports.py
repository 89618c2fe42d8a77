"""What the handlers and the send loop need from the outside world."""

import abc
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal

from koos_contracts import Envelope
from koos_kit.clock import Clock
from koos_notifications.domain.delivery import Failure, RetryPolicy
from koos_notifications.domain.edition import DatedWorkshop, EditionCopy, SessionMove
from koos_notifications.domain.notification import Notification
from koos_notifications.domain.participant import ParticipantChange, ParticipantCopy
from koos_notifications.service_layer import attempts
from koos_notifications.service_layer.attempts import Claim, Outcome
from koos_notifications.service_layer.mailing import (
    DeliveryLookup,
    Mailer,
    MailRenderer,
    MailSettings,
    SendRate,
    Unlimited,
)

LookupAnswer = Literal["not_received", "unknown"]


class Editions(abc.ABC):
    """Notifications' copy of editions; each change applies once per event id."""

    @abc.abstractmethod
    async def add(self, edition: EditionCopy) -> None:
        """Store a published edition; storing it again changes nothing."""

    @abc.abstractmethod
    async def get(self, edition_id: str) -> EditionCopy | None: ...

    @abc.abstractmethod
    async def keep_outside_dates(self, edition: EditionCopy) -> None:
        """Keep a programme's outside dates (adding the programme if it is new)."""

    @abc.abstractmethod
    async def keep_dated_workshop(self, programme_id: str, workshop: DatedWorkshop) -> None:
        """Keep the latest day of a programme's workshop, to tell members who are known only later."""

    @abc.abstractmethod
    async def dated_workshops(self, programme_id: str) -> list[DatedWorkshop]:
        """A programme's workshops that have a day, as kept."""

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
    async def apply(self, changes: Sequence[ParticipantChange]) -> None:
        """Store a batch's changes in order, each once per event id (one seen before changes nothing)."""

    async def record(self, participant: ParticipantCopy, event_id: str) -> None:
        """Store a participant's new standing, once per event."""
        await self.apply([ParticipantChange(participant.registration_id, event_id, participant)])

    async def cancel(self, registration_id: str, event_id: str) -> None:
        """Mark a registration cancelled, once per event."""
        await self.apply([ParticipantChange(registration_id, event_id)])

    @abc.abstractmethod
    async def get(self, registration_id: str) -> ParticipantCopy | None: ...

    @abc.abstractmethod
    async def get_many(self, registration_ids: Collection[str]) -> dict[str, ParticipantCopy]:
        """The known ones of these registrations, by id."""

    @abc.abstractmethod
    async def confirmed_in(self, edition_id: str) -> list[ParticipantCopy]:
        """Everyone holding a seat in an edition."""


class Notifications(abc.ABC):
    """Notifications and their delivery log; a change of state and the event it raises are one write."""

    @abc.abstractmethod
    async def add(self, notifications: Sequence[Notification]) -> int:
        """Store new notifications (due at their `due_at`), ignoring ids stored before; return how many were new."""

    @abc.abstractmethod
    async def cancel_reminders(self, edition_id: str, reason: str, *, session_id: str | None = None,
                               registration_id: str | None = None, except_revision: int | None = None) -> int:
        """Cancel pending reminders of an edition (of one session, of one person); return how many."""

    @abc.abstractmethod
    async def claim(self, now: datetime, lease_until: datetime, limit: int) -> list[Claim]:
        """Take up to `limit` notifications that need a sender now, earliest first: pending ones that are due, and
        ones whose sender vanished while sending (the lease ran out; they are in doubt). No two claims take one."""

    @abc.abstractmethod
    async def record(self, outcomes: Sequence[Outcome]) -> list[bool]:
        """Record how attempts ended, each with its events; per outcome, False if another sender took it over."""

    @abc.abstractmethod
    async def note_resend(self, claim: Claim, at: datetime, lookup: LookupAnswer) -> None:
        """Log that a notification in doubt is sent again, and what the provider said of the earlier attempt."""

    async def mark_sent(self, claim: Claim, at: datetime, reply_code: int, envelopes: Sequence[Envelope]) -> bool:
        """Record the success with its event; False if another sender took the notification over."""
        return (await self.record([attempts.sent(claim, at, reply_code, envelopes)]))[0]

    async def mark_found_delivered(self, claim: Claim, at: datetime, envelopes: Sequence[Envelope]) -> bool:
        """Record that the provider holds the mail of an earlier attempt, with the sent event; nothing is resent."""
        return (await self.record([attempts.found_delivered(claim, at, envelopes)]))[0]

    async def retry_later(self, claim: Claim, at: datetime, next_attempt_at: datetime, failure: Failure) -> None:
        """Record a failed attempt and when to try again; an uncertain failure leaves the notification in doubt."""
        await self.record([attempts.deferred(claim, at, next_attempt_at, failure)])


@dataclass(frozen=True)
class DeliverySettings:
    """How the send loop retries, how long a claim lasts (then it is in doubt), how many notifications it claims at
    a time and sends side by side, and how early reminders are planned."""

    retry: RetryPolicy
    lease: timedelta = timedelta(seconds=30)
    reminder_lead: timedelta = timedelta(minutes=10)
    batch: int = 50
    senders: int = 1


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
    send_rate: SendRate = field(default_factory=Unlimited)
