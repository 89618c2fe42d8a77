"""Hand-written fakes of the notifications ports, behaving like the Mongo adapters."""

import asyncio
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from koos_contracts import Envelope, parse
from koos_notifications.domain.delivery import Failure
from koos_notifications.domain.edition import DatedWorkshop, EditionCopy, SessionMove
from koos_notifications.domain.mail import OutgoingMail
from koos_notifications.domain.notification import Notification
from koos_notifications.domain.participant import ParticipantChange, ParticipantCopy
from koos_notifications.service_layer.attempts import Claim, Outcome
from koos_notifications.service_layer.mailing import DeliveryLookup, Mailer, MailNotSent
from koos_notifications.service_layer.ports import Editions, LookupAnswer, Notifications, Participants


class FakeEditions(Editions):
    """Editions in a dict, each change applied once per event id."""

    def __init__(self) -> None:
        self.editions: dict[str, EditionCopy] = {}
        self.applied: set[str] = set()
        self.days: dict[str, dict[str, DatedWorkshop]] = {}

    async def add(self, edition: EditionCopy) -> None:
        self.editions.setdefault(edition.edition_id, edition)

    async def get(self, edition_id: str) -> EditionCopy | None:
        return self.editions.get(edition_id)

    async def keep_outside_dates(self, edition: EditionCopy) -> None:
        known = self.editions.setdefault(edition.edition_id, edition)
        self.editions[edition.edition_id] = replace(known, outside_dates=edition.outside_dates)

    async def keep_dated_workshop(self, programme_id: str, workshop: DatedWorkshop) -> None:
        self.days.setdefault(programme_id, {})[workshop.key] = workshop

    async def dated_workshops(self, programme_id: str) -> list[DatedWorkshop]:
        return [self.days[programme_id][key] for key in sorted(self.days.get(programme_id, {}))]

    async def move_session(self, edition_id: str, move: SessionMove, event_id: str) -> None:
        self._change(edition_id, move.session_id, event_id, starts_at=move.starts_at, ends_at=move.ends_at,
                     venue=move.venue, revised_at=move.decided_at)

    async def cancel_session(self, edition_id: str, session_id: str, event_id: str) -> None:
        self._change(edition_id, session_id, event_id, status="cancelled")

    async def live(self, now: datetime) -> list[EditionCopy]:
        return [e for e in self.editions.values() if any(s.starts_at > now for s in e.sessions)]

    async def mark_reminded(self, edition_id: str, slot_keys: Collection[str]) -> None:
        edition = self.editions[edition_id]
        self.editions[edition_id] = replace(edition, reminded_slots=edition.reminded_slots | set(slot_keys))

    def _change(self, edition_id: str, session_id: str, event_id: str, **changes: Any) -> None:
        edition = self.editions.get(edition_id)
        if edition is None or event_id in self.applied:
            return
        self.applied.add(event_id)
        sessions = tuple(replace(s, revision=s.revision + 1, **changes) if s.session_id == session_id else s
                         for s in edition.sessions)
        self.editions[edition_id] = replace(edition, sessions=sessions)


class FakeParticipants(Participants):
    """Participants in a dict, each change applied once per registration and event id (as the Mongo store does)."""

    def __init__(self) -> None:
        self.participants: dict[str, ParticipantCopy] = {}
        self.applied: set[tuple[str, str]] = set()

    async def apply(self, changes: Sequence[ParticipantChange]) -> None:
        for change in changes:
            known = self.participants.get(change.registration_id)
            key = (change.registration_id, change.event_id)
            if key in self.applied or (known is None and change.participant is None):
                continue
            self.applied.add(key)
            changed = change.participant or (replace(known, status="cancelled") if known else None)
            if changed:
                self.participants[change.registration_id] = changed

    async def get(self, registration_id: str) -> ParticipantCopy | None:
        return self.participants.get(registration_id)

    async def get_many(self, registration_ids: Collection[str]) -> dict[str, ParticipantCopy]:
        return {rid: self.participants[rid] for rid in registration_ids if rid in self.participants}

    async def confirmed_in(self, edition_id: str) -> list[ParticipantCopy]:
        return [p for p in self.participants.values() if p.edition_id == edition_id and p.is_confirmed]


@dataclass
class StoredNotification:
    """A notification with its sending state, delivery log and outbox."""

    notification: Notification
    status: str = "pending"
    due_at: datetime | None = None
    attempts: int = 0
    lease_until: datetime | None = None
    in_doubt: bool = False
    deliveries: list[dict[str, Any]] = field(default_factory=list)
    outbox: list[Envelope] = field(default_factory=list)


class FakeNotifications(Notifications):
    """Notifications in a dict, claimed and finished like the Mongo adapter does."""

    def __init__(self) -> None:
        self.stored: dict[str, StoredNotification] = {}

    async def add(self, notifications: Sequence[Notification]) -> int:
        new = [n for n in notifications if n.notification_id not in self.stored]
        for notification in new:
            self.stored[notification.notification_id] = StoredNotification(notification, due_at=notification.due_at)
        return len(new)

    async def cancel_reminders(self, edition_id: str, reason: str, *, session_id: str | None = None,
                               registration_id: str | None = None, except_revision: int | None = None) -> int:
        matching = [s for s in self.stored.values() if s.status == "pending" and s.notification.is_reminder
                    and s.notification.edition_id == edition_id
                    and session_id in (None, s.notification.details["session_id"])
                    and registration_id in (None, s.notification.registration_id)
                    and (except_revision is None or s.notification.details["revision"] != except_revision)]
        for stored in matching:
            stored.status = "cancelled"
            stored.deliveries.append({"outcome": "cancelled", "reason": reason})
        return len(matching)

    async def claim(self, now: datetime, lease_until: datetime, limit: int) -> list[Claim]:
        waiting = sorted((s for s in self.stored.values() if self._needs_sender_at(s) <= now),
                         key=self._needs_sender_at)
        return [self._claim(stored, now, lease_until) for stored in waiting[:limit]]

    async def record(self, outcomes: Sequence[Outcome]) -> list[bool]:
        return [self._record(outcome) for outcome in outcomes]

    async def note_resend(self, claim: Claim, at: datetime, lookup: LookupAnswer) -> None:
        stored = self.stored[claim.notification.notification_id]
        if stored.status == "sending" and stored.attempts == claim.attempt:
            stored.deliveries.append({"attempt": claim.attempt, "at": at, "outcome": "in_doubt_resent",
                                      "lookup": lookup})

    def of_kind(self, kind: str) -> list[StoredNotification]:
        return [s for s in self.stored.values() if s.notification.kind == kind]

    def events(self) -> list[Any]:
        return [parse(e) for s in self.stored.values() for e in s.outbox]

    @staticmethod
    def _needs_sender_at(stored: StoredNotification) -> datetime:
        if stored.status == "pending" and stored.due_at:
            return stored.due_at
        if stored.status == "sending" and stored.lease_until:
            return stored.lease_until
        return datetime.max.replace(tzinfo=UTC)

    @staticmethod
    def _claim(stored: StoredNotification, now: datetime, lease_until: datetime) -> Claim:
        if stored.status == "sending":
            stored.deliveries.append({"at": now, "outcome": "in_doubt"})
            stored.in_doubt = True
        stored.status, stored.lease_until = "sending", lease_until
        stored.attempts += 1
        return Claim(stored.notification, stored.attempts, in_doubt=stored.in_doubt)

    def _record(self, outcome: Outcome) -> bool:
        stored = self.stored[outcome.notification_id]
        if stored.status != "sending" or stored.attempts != outcome.claim.attempt:
            return False
        stored.status, stored.lease_until, stored.in_doubt = outcome.status, None, outcome.in_doubt
        if outcome.retry_at is not None:
            stored.due_at = outcome.retry_at
        if outcome.entry is None:
            stored.attempts -= 1
        else:
            stored.deliveries.append(dict(outcome.entry))
        stored.outbox.extend(outcome.envelopes)
        return True


class SenderVanished(BaseException):
    """The sending process died (SIGKILL) at this point: nothing after it runs."""


class FakeMailer(Mailer):
    """Keeps the mails it is given (the provider's mailbox); fails the next ones, or dies, when told to."""

    def __init__(self) -> None:
        self.sent: list[OutgoingMail] = []
        self.failures: list[Failure] = []
        self.vanish_after_handing_over = False
        self.holding = asyncio.Event()
        self._released = asyncio.Event()
        self._released.set()

    def hold(self) -> None:
        """Make the next send wait until `release`, signalling `holding` once it waits."""
        self._released.clear()

    def release(self) -> None:
        self._released.set()

    def fail_next(self, times: int, failure: Failure | None = None) -> None:
        self.failures += [failure or Failure(code=None, error_class="SMTPConnectError")] * times

    async def send(self, mail: OutgoingMail) -> int:
        self.holding.set()
        await self._released.wait()
        if self.failures:
            failure = self.failures.pop(0)
            if failure.uncertain:
                self.sent.append(mail)
            raise MailNotSent(failure)
        self.sent.append(mail)
        if self.vanish_after_handing_over:
            self.vanish_after_handing_over = False
            raise SenderVanished
        return 250

    def vanish_next(self) -> None:
        """The next mail reaches the server, then the sender dies before it hears the 250."""
        self.vanish_after_handing_over = True

    def to(self, email: str) -> list[OutgoingMail]:
        return [m for m in self.sent if m.recipient.email == email]


class FakeDeliveryLookup(DeliveryLookup):
    """The provider's lookup by Message-ID over the fake mailer's mailbox; `answering=False` cannot tell."""

    def __init__(self, mailer: FakeMailer, *, answering: bool = True) -> None:
        self.mailer = mailer
        self.answering = answering
        self.asked: list[str] = []

    async def was_received(self, message_id: str) -> bool | None:
        self.asked.append(message_id)
        if not self.answering:
            return None
        return any(m.message_id == message_id for m in self.mailer.sent)
