"""A gateway app over fakes, with helpers that play the other services and mint credentials."""

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from koos_contracts import Envelope, Message, parse, to_record
from koos_contracts.identity import person_id_for, registration_id_for
from koos_contracts.registration import RegistrationConfirmed, RegistrationWaitlisted, SeatsChanged
from koos_contracts.scheduling import PublishEdition
from koos_contracts.values import Participant, Person
from koos_gateway.adapters.tokens import JwtTokens, StaffTokenRules
from koos_gateway.entrypoints.consumers import subscription
from koos_gateway.entrypoints.http.app import HttpSettings, create_app
from koos_gateway.service_layer.unit import Policy, Ports
from koos_kit.events import EventFactory
from koos_kit.messaging.records import Record
from koos_kit.messaging.subscription import Delivery
from tests.builders import open_course, published
from tests.fakes import FixedClock, envelope_for
from tests.tokens import AUDIENCE, VERIFIER, participant_token, staff_jwt
from tests.unit.gateway.audit_fakes import FakeAuditLog
from tests.unit.gateway.fakes import (
    FakeApiKeys,
    FakeBus,
    FakeCommandLog,
    FakeEditions,
    FakeHomeworkGrid,
    FakePeople,
    FakePrivacyRequests,
    FakeProgrammes,
    FakeRegistrations,
    FakeSurveyResults,
    FakeTeams,
)
from tests.unit.gateway.ledger_fakes import fake_ledgers

SECRET = "unit-test-secret-of-at-least-32-bytes"
OSLO = "oslo-kommune"
BERGEN = "bergen-kommune"
SIGNUPS_PER_MINUTE = 5


def staff_token(org: str = OSLO, role: str = "organiser", sub: str = "kari", *, secret: str = SECRET,
                issuer: str = "koos", expires_in: int = 3600, audience: str | None = AUDIENCE) -> str:
    """A staff JWT as the CLI mints it."""
    return staff_jwt(secret, org, role, sub, issuer=issuer, audience=audience, lifetime=expires_in)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def staff(org: str = OSLO, role: str = "organiser") -> dict[str, str]:
    """Headers of a staff member."""
    return bearer(staff_token(org, role))


@dataclass
class Gateway:
    """The app under test, its fakes, and ways to play scheduling, registration and evaluation."""

    ports: Ports
    bus: FakeBus
    editions: FakeEditions
    registrations: FakeRegistrations
    commands: FakeCommandLog
    clock: FixedClock
    app: Any
    client: httpx.AsyncClient

    async def deliver(self, *envelopes: Envelope) -> None:
        """Hand events to the gateway's consumers, as Kafka would (one at a time)."""
        consumers = subscription(self.ports)
        for envelope in envelopes:
            message = parse(envelope)
            if envelope.type in consumers.batch_handlers:
                key, value, headers = to_record(envelope)
                record = Record("events", 0, 0, key, value, headers)
                await consumers.batch_handlers[envelope.type]([Delivery(message, envelope, record)])
            elif envelope.type in consumers.handlers:
                await consumers.handlers[envelope.type](message, envelope)

    async def publish_edition(self, org: str = OSLO, **changes: Any) -> PublishEdition:
        """An edition scheduling has published for an organisation."""
        plan = open_course(**changes)
        await self.deliver(envelope_for(published(plan), organisation_id=org))
        await self.seats(plan, taken=0, org=org, sequence=0)
        return plan

    def answer(self, make_events: Any, delay: float = 0.0) -> None:
        """Play the owning service: answer each command with the events `make_events(message)` returns."""

        async def respond(command: Envelope) -> None:
            await asyncio.sleep(delay)
            await self.deliver(*caused_by(command, *make_events(parse(command))))

        self.bus.responder = respond

    async def registration_event(self, plan: PublishEdition, person: Person, org: str = OSLO,
                                 queue_number: int | None = None, at: datetime | None = None) -> str:
        """Registration confirmed (or waitlisted with a queue number) for a person, as registration says."""
        registration_id = registration_id_for(plan.edition_id, person.email)
        participant = Participant(person_id=person_id_for(org, person.email), **person.model_dump())
        event: Message = RegistrationConfirmed(registration_id=registration_id, edition_id=plan.edition_id,
                                               participant=participant, confirmed_at=self.clock.now())
        if queue_number is not None:
            event = RegistrationWaitlisted(registration_id=registration_id, edition_id=plan.edition_id,
                                           participant=participant, queue_number=queue_number,
                                           position=queue_number, waitlisted_at=self.clock.now())
        await self.deliver(envelope_for(event, organisation_id=org, time=at or self.clock.now()))
        return str(registration_id)

    async def seats(self, plan: PublishEdition, taken: int, in_line: int = 0, org: str = OSLO,
                    sequence: int = 1) -> None:
        """Registration's count of seats and line after a batch."""
        await self.deliver(envelope_for(SeatsChanged(edition_id=plan.edition_id, capacity=plan.capacity,
                                                     taken=taken, in_line=in_line, sequence=sequence),
                                        organisation_id=org))

    async def participant(self, person: Person, plan: PublishEdition | None = None, org: str = OSLO,
                          queue_number: int | None = None) -> dict[str, str]:
        """The bearer header of a person registered for an edition (one published for it when not given)."""
        plan = plan or await self.publish_edition(org)
        await self.registration_event(plan, person, org=org, queue_number=queue_number)
        return bearer(self.participant_token(person, plan, org))

    def participant_token(self, person: Person, plan: PublishEdition, org: str = OSLO, *,
                          issued_at: float | None = None) -> str:
        """The token the person's mails carry for their registration for an edition."""
        registration_id = str(registration_id_for(plan.edition_id, person.email))
        return participant_token(org, person_id_for(org, person.email), registration_id, now=issued_at)

    def sent(self, of_type: type[Message]) -> list[Envelope]:
        return [e for e in self.bus.sent if e.type == of_type.ce_type()]


def event(message: Message, org: str = OSLO, at: datetime | None = None) -> Envelope:
    """An event of a service for an organisation, at a time."""
    return envelope_for(message, organisation_id=org, time=at or datetime.now(UTC))


def caused_by(command: Envelope, *events: Message) -> list[Envelope]:
    """Envelopes of events a service raised in answer to a command."""
    return EventFactory("/koos/other").caused_by(command, events)


def new_gateway(client_for: Callable[[Any], httpx.AsyncClient], wait_seconds: float = 0.3) -> Gateway:
    """A gateway over fakes, the clock at the present; outcomes are awaited briefly so the 202 path is quick."""
    clock = FixedClock(datetime.now(UTC).replace(microsecond=0) - timedelta(seconds=1))
    bus, editions, registrations, commands = FakeBus(), FakeEditions(), FakeRegistrations(), FakeCommandLog()
    ports = Ports(editions=editions, registrations=registrations, commands=commands, surveys=FakeSurveyResults(),
                  api_keys=FakeApiKeys(), bus=bus, clock=clock, ledgers=fake_ledgers(registrations),
                  people=FakePeople(), privacy=FakePrivacyRequests(), audit=FakeAuditLog(),
                  tokens=JwtTokens(StaffTokenRules(SECRET, "koos", AUDIENCE, 12 * 3600), VERIFIER),
                  teams=FakeTeams(), programmes=FakeProgrammes(), homework=FakeHomeworkGrid(),
                  policy=Policy(command_wait_seconds=wait_seconds, poll_seconds=0.02, opening_wait_seconds=0.3))
    app = create_app(ports, HttpSettings(public_base_url="https://koos.example",
                                         signup_rate_per_minute=SIGNUPS_PER_MINUTE))
    return Gateway(ports, bus, editions, registrations, commands, clock, app, client_for(app))
