"""One open course edition driven through the notifications handlers, with fakes behind every port."""

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from itertools import groupby
from typing import Any
from uuid import UUID

from koos_contracts import Envelope, Message
from koos_contracts.evaluation import SurveyOpened
from koos_contracts.identity import registration_id_for
from koos_contracts.registration import (
    RegistrationCancelled,
    RegistrationConfirmed,
    RegistrationPromoted,
    RegistrationUnchanged,
    RegistrationWaitlisted,
    SeatsChanged,
)
from koos_contracts.scheduling import EditionPublished, PublishEdition, SessionCancelled, SessionRescheduled
from koos_contracts.values import Participant
from koos_kit.messaging.records import Record
from koos_kit.messaging.subscription import Delivery
from koos_kit.participant_tokens import ParticipantTokenSigner, private_key
from koos_notifications.adapters.rendering import JinjaRenderer
from koos_notifications.domain.delivery import RetryPolicy
from koos_notifications.entrypoints.consumers import subscription
from koos_notifications.service_layer.mailing import MailRenderer, MailSettings
from koos_notifications.service_layer.ports import DeliverySettings, Ports
from koos_notifications.service_layer.reminding import plan_due_reminders
from koos_notifications.service_layer.sending import send_due
from tests.builders import LIBRARY, open_course, person, published
from tests.fakes import FixedClock, envelope_for
from tests.tokens import PARTICIPANT_PRIVATE_KEY
from tests.unit.notifications.fakes import (
    FakeDeliveryLookup,
    FakeEditions,
    FakeMailer,
    FakeNotifications,
    FakeParticipants,
)

ORGANISATION = "org-oslo"
TOKEN_DAYS = 180
MAIL = MailSettings(sender="Koos <no-reply@koos.example>", message_id_domain="koos.example",
                    public_base_url="https://koos.example", web_base_url="https://koos.example",
                    participant_tokens=ParticipantTokenSigner(private_key(PARTICIPANT_PRIVATE_KEY), "koos",
                                                              TOKEN_DAYS * 86_400))
RETRY = RetryPolicy(max_attempts=4, backoff=timedelta(seconds=10), max_backoff=timedelta(minutes=5))


def participant(n: int, language: str = "nb") -> Participant:
    """A participant with a Nordic name, writing in `language`."""
    return Participant(person_id=f"person-{n}", **person(n, language).model_dump())


@dataclass
class Course:
    """A three-session course starting ten days after the clock's now, and the ports it runs through."""

    clock: FixedClock
    editions: FakeEditions
    participants: FakeParticipants
    notifications: FakeNotifications
    mailer: FakeMailer
    lookup: FakeDeliveryLookup
    ports: Ports
    plan: PublishEdition

    @classmethod
    def create(cls, renderer: MailRenderer | None = None, **plan_changes: Any) -> "Course":
        """A course with fresh fakes; `plan_changes` alter the published plan."""
        clock = FixedClock()
        editions, participants, notifications, mailer = (FakeEditions(), FakeParticipants(), FakeNotifications(),
                                                         FakeMailer())
        lookup = FakeDeliveryLookup(mailer)
        ports = Ports(editions=editions, participants=participants, notifications=notifications, mailer=mailer,
                      lookup=lookup, renderer=renderer or JinjaRenderer(), clock=clock, mail=MAIL,
                      delivery=DeliverySettings(retry=RETRY, lease=timedelta(seconds=60)))
        plan = open_course(first_day=clock.now().date() + timedelta(days=10), **plan_changes)
        return cls(clock, editions, participants, notifications, mailer, lookup, ports, plan)

    @property
    def edition_id(self) -> UUID:
        return self.plan.edition_id

    def session_start(self, index: int) -> datetime:
        """When the session with this index (from 0) starts."""
        return published(self.plan).sessions[index].starts_at

    async def deliver(self, message: Message, envelope: Envelope | None = None) -> Envelope:
        """Hand an event to the handler its subscription names, as Kafka would (a batch of one)."""
        envelope = envelope or envelope_for(message, ORGANISATION, time=self.clock.now())
        await self.deliver_batch([(message, envelope)])
        return envelope

    async def deliver_batch(self, events: Sequence[tuple[Message, Envelope]]) -> None:
        """Hand events to their handlers as one consumed batch: batch-handled ones together, the others alone."""
        consumers = subscription(self.ports)
        deliveries = [Delivery(m, e, Record("topic", 0, offset, None, b"", [])) for offset, (m, e) in enumerate(events)]
        for handler, run in groupby(deliveries, key=lambda d: consumers.batch_handlers.get(d.envelope.type)):
            if handler is not None:
                await handler(list(run))
            else:
                for delivery in run:
                    await consumers.handlers[delivery.envelope.type](delivery.message, delivery.envelope)

    def envelope(self, message: Message) -> Envelope:
        """The envelope an event of this course comes in."""
        return envelope_for(message, ORGANISATION, time=self.clock.now())

    async def publish(self) -> Envelope:
        return await self.deliver(published(self.plan))

    async def confirm(self, n: int, language: str = "nb") -> RegistrationConfirmed:
        event = RegistrationConfirmed(registration_id=self.registration_id(n), edition_id=self.edition_id,
                                      participant=participant(n, language), confirmed_at=self.clock.now())
        await self.deliver(event)
        return event

    async def waitlist(self, n: int, position: int, language: str = "nb") -> RegistrationWaitlisted:
        event = RegistrationWaitlisted(registration_id=self.registration_id(n), edition_id=self.edition_id,
                                       participant=participant(n, language), queue_number=position,
                                       position=position, waitlisted_at=self.clock.now())
        await self.deliver(event)
        return event

    async def promote(self, n: int, language: str = "nb") -> None:
        await self.deliver(RegistrationPromoted(registration_id=self.registration_id(n), edition_id=self.edition_id,
                                                participant=participant(n, language), promoted_at=self.clock.now()))

    async def cancel(self, n: int, previous_status: str = "confirmed") -> None:
        await self.deliver(RegistrationCancelled(registration_id=self.registration_id(n), edition_id=self.edition_id,
                                                 person_id=f"person-{n}", previous_status=previous_status,
                                                 cancelled_at=self.clock.now()))

    def rescheduled(self, index: int, day: date, start: int = 13) -> SessionRescheduled:
        """Session `index` moved to `day`, `start`:00 for three hours, at the library."""
        zone, session = published(self.plan).sessions[index].starts_at.tzinfo, published(self.plan).sessions[index]
        return SessionRescheduled(
            edition_id=self.edition_id, session_id=session.session_id,
            starts_at=datetime.combine(day, time(start), tzinfo=zone),
            ends_at=datetime.combine(day, time(start + 3), tzinfo=zone), venue=LIBRARY,
            previous_starts_at=session.starts_at, previous_ends_at=session.ends_at, previous_venue=session.venue)

    async def cancel_session(self, index: int) -> None:
        session = published(self.plan).sessions[index]
        await self.deliver(SessionCancelled(edition_id=self.edition_id, session_id=session.session_id,
                                            starts_at=session.starts_at, reason="Kursholderen er syk"))

    async def open_survey(self) -> None:
        await self.deliver(SurveyOpened(edition_id=self.edition_id, questions=self.plan.feedback_questions,
                                        opened_at=self.clock.now(), closes_at=self.clock.now() + timedelta(days=14)))

    async def send_due(self) -> int:
        """What the service's loops do: plan reminders whose time nears, then send what is due."""
        await plan_due_reminders(self.ports)
        return await send_due(self.ports)

    async def plan_all_reminders(self) -> int:
        """Plan every reminder time ahead now, as if the lead were a year: to see which reminders people get."""
        year = replace(self.ports.delivery, reminder_lead=timedelta(days=365))
        return await plan_due_reminders(replace(self.ports, delivery=year))

    def rush_batch(self) -> list[tuple[Message, Envelope]]:
        """What registration publishes for a batch of decisions: a seat, places in line, a repeat, one leaving the
        line, the seat count."""
        edition, now = self.edition_id, self.clock.now()
        events: list[Message] = [
            RegistrationConfirmed(registration_id=self.registration_id(1), edition_id=edition,
                                  participant=participant(1), confirmed_at=now),
            RegistrationWaitlisted(registration_id=self.registration_id(2), edition_id=edition,
                                   participant=participant(2), queue_number=1, position=1, waitlisted_at=now),
            RegistrationUnchanged(registration_id=self.registration_id(1), edition_id=edition, person_id="person-1",
                                  status="confirmed"),
            RegistrationWaitlisted(registration_id=self.registration_id(3), edition_id=edition,
                                   participant=participant(3, "en"), queue_number=2, position=2, waitlisted_at=now),
            RegistrationCancelled(registration_id=self.registration_id(2), edition_id=edition, person_id="person-2",
                                  previous_status="waiting", cancelled_at=now),
            SeatsChanged(edition_id=edition, capacity=1, taken=1, in_line=1, sequence=1),
        ]
        return [(event, self.envelope(event)) for event in events]

    def subjects(self) -> list[tuple[str, str]]:
        """Who got a mail about what (the subject before the title), sorted."""
        return sorted((m.recipient.email, m.content.subject.split(":")[0]) for m in self.mailer.sent)

    def registration_id(self, n: int) -> UUID:
        return registration_id_for(self.edition_id, participant(n).email)

    def published_event(self) -> EditionPublished:
        return published(self.plan)
