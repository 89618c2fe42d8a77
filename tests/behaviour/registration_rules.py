"""Registration's behaviour, the same against the fakes and against MongoDB (a `registrar` fixture gives either).

Seats go first come, first served; the rest wait in line and move up on cancellations; every command gets
exactly one outcome; a batch consumed again, a crash mid-commit or a second consumer change nothing twice.
"""

import asyncio
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest
from pymongo.errors import ConnectionFailure

from koos_contracts import Envelope, Message, parse, to_record, wrap
from koos_contracts.catalogue import OUTCOME_TYPES
from koos_contracts.identity import registration_id_for
from koos_contracts.registration import (
    CancellationRefused,
    CancelRegistration,
    Consent,
    ConsentWithdrawalRefused,
    ConsentWithdrawn,
    RegisterParticipant,
    RegistrationCancelled,
    RegistrationConfirmed,
    RegistrationPromoted,
    RegistrationRefused,
    RegistrationUnchanged,
    RegistrationWaitlisted,
    WithdrawConsent,
)
from koos_contracts.scheduling import EditionPublished, ScheduledSession
from koos_kit.messaging.records import Record
from koos_kit.messaging.subscription import Delivery, Waiting
from koos_registration.service_layer import handlers
from koos_registration.service_layer.handlers import Ports
from tests.builders import person
from tests.fakes import FixedClock, RecordingPublisher, bare_envelope

ORG = "org-oslo"
NOW = datetime(2027, 5, 1, 8, 0, tzinfo=UTC)


@dataclass
class Registrar:
    """Sends batches of registration commands to the handlers, as the consumer would."""

    ports: Ports
    publisher: RecordingPublisher
    clock: FixedClock
    crash_next_commit: Any
    second: Ports | None = None
    drain_outbox: Any = None
    offsets: list[int] = field(default_factory=lambda: [0])

    async def offer(self, capacity: int, organisation: str = ORG, ends_at: datetime | None = None) -> UUID:
        edition_id = uuid4()
        sessions = (ScheduledSession.model_construct(ends_at=ends_at),) if ends_at else ()
        event = EditionPublished.model_construct(edition_id=edition_id, capacity=capacity,
                                                 registration_opens_at=NOW - timedelta(days=1),
                                                 registration_closes_at=NOW + timedelta(days=10), sessions=sessions)
        await handlers.open_offer(event, bare_envelope(organisation), self.ports)
        return edition_id

    def register(self, edition: UUID, n: int, at: datetime = NOW, organisation: str = ORG,
                 consent: Consent | None = None) -> Delivery:
        return self.delivery(RegisterParticipant(edition_id=edition, person=person(n), consent=consent),
                             organisation, at)

    def withdraw(self, edition: UUID, n: int, organisation: str = ORG) -> Delivery:
        command = WithdrawConsent(edition_id=edition, registration_id=registration_id_for(edition, person(n).email),
                                  purposes=("next_editions",))
        return self.delivery(command, organisation, NOW)

    def cancel(self, edition: UUID, n: int, organisation: str = ORG) -> Delivery:
        command = CancelRegistration(edition_id=edition, registration_id=registration_id_for(edition, person(n).email))
        return self.delivery(command, organisation, NOW)

    def delivery(self, message: Message, organisation: str, at: datetime) -> Delivery:
        envelope = wrap(message, source="/tests", organisation_id=organisation, time=at)
        key, value, headers = to_record(envelope)
        self.offsets[0] += 1
        return Delivery(message, envelope, Record("commands", 0, self.offsets[0], key, value, headers))

    async def batch(self, *deliveries: Delivery, ports: Ports | None = None) -> list[Waiting]:
        return list(await handlers.decide(list(deliveries), ports or self.ports))

    def facts(self, of_type: type, distinct: bool = False) -> list[Any]:
        """Events of a type as published; `distinct` counts an event published twice (same id) once."""
        envelopes = list({e.id: e for e in self.publisher.envelopes}.values()) if distinct else self.publisher.envelopes
        return [m for m in (parse(e) for e in envelopes) if isinstance(m, of_type)]

    def outcomes_of(self, command: Envelope) -> list[Envelope]:
        return [e for e in self.publisher.envelopes if e.causationid == command.id and e.type in OUTCOME_TYPES]


def emails(events: list[Any]) -> list[str]:
    return [e.participant.email for e in events]


async def test_seats_go_first_come_first_served_and_the_rest_wait_in_order(registrar: Registrar) -> None:
    edition = await registrar.offer(capacity=3)
    await registrar.batch(*(registrar.register(edition, n) for n in range(4)))
    await registrar.batch(*(registrar.register(edition, n) for n in range(4, 6)))

    assert emails(registrar.facts(RegistrationConfirmed)) == [person(n).email for n in range(3)]
    waiting = registrar.facts(RegistrationWaitlisted)
    assert emails(waiting) == [person(n).email for n in range(3, 6)]
    assert [(w.queue_number, w.position) for w in waiting] == [(1, 1), (2, 2), (3, 3)]


async def test_registering_again_is_answered_unchanged_and_holds_one_seat(registrar: Registrar) -> None:
    edition = await registrar.offer(capacity=2)
    first, again = registrar.register(edition, 0), registrar.register(edition, 0)
    await registrar.batch(first)
    await registrar.batch(again, registrar.register(edition, 1))

    assert [e.type for e in registrar.outcomes_of(again.envelope)] == [RegistrationUnchanged.ce_type()]
    (unchanged,) = registrar.facts(RegistrationUnchanged)
    assert unchanged.status == "confirmed"
    assert emails(registrar.facts(RegistrationConfirmed)) == [person(0).email, person(1).email]


async def test_a_cancellation_promotes_the_first_person_waiting(registrar: Registrar) -> None:
    edition = await registrar.offer(capacity=2)
    await registrar.batch(*(registrar.register(edition, n) for n in range(5)))
    cancel = registrar.cancel(edition, 1)
    await registrar.batch(cancel)

    assert emails(registrar.facts(RegistrationPromoted)) == [person(2).email]
    assert [c.previous_status for c in registrar.facts(RegistrationCancelled)] == ["confirmed"]
    assert [e.type for e in registrar.outcomes_of(cancel.envelope)] == [RegistrationCancelled.ce_type()]


async def test_leaving_the_waiting_list_promotes_nobody_and_keeps_the_order(registrar: Registrar) -> None:
    edition = await registrar.offer(capacity=1)
    await registrar.batch(*(registrar.register(edition, n) for n in range(4)))
    await registrar.batch(registrar.cancel(edition, 1))
    await registrar.batch(registrar.cancel(edition, 0))

    assert emails(registrar.facts(RegistrationPromoted)) == [person(2).email]


async def test_a_seat_freed_in_a_batch_goes_to_the_line_before_newcomers_of_that_batch(registrar: Registrar) -> None:
    edition = await registrar.offer(capacity=1)
    await registrar.batch(registrar.register(edition, 0), registrar.register(edition, 1))
    await registrar.batch(registrar.cancel(edition, 0), registrar.register(edition, 2))

    assert emails(registrar.facts(RegistrationPromoted)) == [person(1).email]
    assert emails(registrar.facts(RegistrationWaitlisted)) == [person(1).email, person(2).email]


async def test_someone_who_joined_the_line_in_a_batch_is_promoted_in_that_batch(registrar: Registrar) -> None:
    edition = await registrar.offer(capacity=1)
    await registrar.batch(registrar.register(edition, 0))
    await registrar.batch(registrar.register(edition, 1), registrar.cancel(edition, 0), registrar.cancel(edition, 1),
                          registrar.register(edition, 2))

    assert emails(registrar.facts(RegistrationPromoted)) == [person(1).email]
    assert emails(registrar.facts(RegistrationConfirmed)) == [person(0).email, person(2).email]


async def test_registration_outside_the_window_is_refused_with_the_reason(registrar: Registrar) -> None:
    edition = await registrar.offer(capacity=5)
    await registrar.batch(registrar.register(edition, 0, at=NOW - timedelta(days=2)),
                          registrar.register(edition, 1, at=NOW + timedelta(days=11)))

    refused = registrar.facts(RegistrationRefused)
    assert [r.reason_code for r in refused] == ["not_open_yet", "closed"]
    assert "registration closed at" in refused[1].reason
    assert registrar.facts(RegistrationConfirmed) == []


async def test_a_command_for_an_edition_not_known_yet_waits_then_is_refused_once(registrar: Registrar) -> None:
    edition = uuid4()
    early = registrar.register(edition, 0, at=NOW - timedelta(seconds=5))
    late = registrar.register(edition, 1, at=NOW - timedelta(minutes=5))
    waiting = await registrar.batch(early, late)
    await registrar.batch(late)

    assert [w.delivery for w in waiting] == [early]
    (refused,) = registrar.facts(RegistrationRefused)
    assert refused.reason_code == "unknown_edition" and refused.participant.email == person(1).email


async def test_a_command_that_waited_is_decided_once_its_edition_is_known(registrar: Registrar) -> None:
    edition = uuid4()
    early = registrar.register(edition, 0, at=NOW - timedelta(seconds=5))
    assert len(await registrar.batch(early)) == 1
    event = EditionPublished.model_construct(edition_id=edition, capacity=3,
                                             registration_opens_at=NOW - timedelta(days=1),
                                             registration_closes_at=NOW + timedelta(days=10), sessions=())
    await handlers.open_offer(event, bare_envelope(ORG), registrar.ports)

    assert await registrar.batch(early) == []
    assert [e.type for e in registrar.outcomes_of(early.envelope)] == [RegistrationConfirmed.ce_type()]


async def test_another_organisations_edition_is_unknown_and_its_people_untouched(registrar: Registrar) -> None:
    edition = await registrar.offer(capacity=5, organisation="org-tallinn")
    await registrar.batch(registrar.register(edition, 0, organisation="org-tallinn"))
    await registrar.batch(registrar.register(edition, 0, organisation=ORG), registrar.cancel(edition, 0))

    assert [r.reason_code for r in registrar.facts(RegistrationRefused)] == ["unknown_edition"]
    assert [r.reason_code for r in registrar.facts(CancellationRefused)] == ["unknown_registration"]
    assert registrar.facts(RegistrationCancelled) == []


async def test_a_batch_consumed_again_changes_nothing_and_says_nothing_new(registrar: Registrar) -> None:
    edition = await registrar.offer(capacity=1)
    batch = [registrar.register(edition, n) for n in range(3)] + [registrar.cancel(edition, 0)]
    await registrar.batch(*batch)
    published = len(registrar.publisher.envelopes)
    await registrar.batch(*batch)

    assert len(registrar.publisher.envelopes) == published
    assert emails(registrar.facts(RegistrationPromoted)) == [person(1).email]


async def test_a_crash_after_the_offer_was_written_is_finished_once_on_redelivery(registrar: Registrar) -> None:
    edition = await registrar.offer(capacity=1)
    batch = [registrar.register(edition, n) for n in range(3)]
    registrar.crash_next_commit()
    with pytest.raises((ConnectionError, ConnectionFailure)):
        await registrar.batch(*batch)
    await registrar.batch(*batch)
    await registrar.batch(registrar.register(edition, 3))
    if registrar.drain_outbox:
        await registrar.drain_outbox()

    assert emails(registrar.facts(RegistrationConfirmed)) == [person(0).email]
    assert [(w.participant.email, w.queue_number) for w in registrar.facts(RegistrationWaitlisted)] == [
        (person(1).email, 1), (person(2).email, 2), (person(3).email, 3)]


async def test_a_cancelled_person_may_register_again(registrar: Registrar) -> None:
    edition = await registrar.offer(capacity=1)
    await registrar.batch(registrar.register(edition, 0))
    await registrar.batch(registrar.cancel(edition, 0))
    again = registrar.cancel(edition, 0)
    await registrar.batch(again, registrar.register(edition, 0))

    assert len(registrar.facts(RegistrationConfirmed)) == 2
    assert [e.type for e in registrar.outcomes_of(again.envelope)] == [RegistrationUnchanged.ce_type()]


async def test_the_consent_given_at_sign_up_is_a_fact_of_the_registration_and_an_optional_one_can_be_withdrawn(
        registrar: Registrar) -> None:
    edition = await registrar.offer(capacity=1)
    consent = Consent(purposes=("course", "next_editions"), wording_version="2026-12", given_at=NOW)
    await registrar.batch(registrar.register(edition, 0, consent=consent), registrar.register(edition, 1))
    withdrawal = registrar.withdraw(edition, 0)
    await registrar.batch(withdrawal)
    await registrar.batch(withdrawal)

    assert [e.consent for e in registrar.facts(RegistrationConfirmed)] == [consent]
    assert [e.consent for e in registrar.facts(RegistrationWaitlisted)] == [None]
    [withdrawn] = registrar.facts(ConsentWithdrawn, distinct=True)
    assert (withdrawn.withdrawn, withdrawn.purposes) == (("next_editions",), ("course",))
    assert [e.type for e in registrar.outcomes_of(withdrawal.envelope)] == [ConsentWithdrawn.ce_type()]
    again = registrar.withdraw(edition, 0)
    await registrar.batch(again, registrar.cancel(edition, 0))
    assert [e.purposes for e in registrar.facts(ConsentWithdrawn, distinct=True)] == [("course",), ("course",)]
    assert len(registrar.facts(RegistrationPromoted)) == 1


async def test_withdrawing_consent_for_a_registration_that_does_not_exist_is_refused(registrar: Registrar) -> None:
    edition = await registrar.offer(capacity=1)
    await registrar.batch(registrar.register(edition, 0))
    stranger, unknown = registrar.withdraw(edition, 0, organisation="org-tartu"), registrar.withdraw(edition, 5)
    await registrar.batch(stranger, unknown)

    assert [e.type for e in registrar.outcomes_of(stranger.envelope)] == [ConsentWithdrawalRefused.ce_type()]
    assert [e.type for e in registrar.outcomes_of(unknown.envelope)] == [ConsentWithdrawalRefused.ce_type()]
    assert registrar.facts(ConsentWithdrawn) == []


async def test_a_newcomers_position_counts_only_those_still_waiting(registrar: Registrar) -> None:
    edition = await registrar.offer(capacity=1)
    await registrar.batch(*(registrar.register(edition, n) for n in range(4)))
    await registrar.batch(registrar.cancel(edition, 2))
    await registrar.batch(registrar.cancel(edition, 0))
    await registrar.batch(registrar.register(edition, 4))

    waiting = registrar.facts(RegistrationWaitlisted)
    assert [(w.participant.email, w.position) for w in waiting] == [
        (person(1).email, 1), (person(2).email, 2), (person(3).email, 3), (person(4).email, 2)]


async def test_two_consumers_deciding_one_edition_never_give_a_seat_twice(registrar: Registrar) -> None:
    edition = await registrar.offer(capacity=10)
    first = [registrar.register(edition, n) for n in range(0, 30)]
    second = [registrar.register(edition, n) for n in range(30, 60)]
    await asyncio.gather(registrar.batch(*first), registrar.batch(*second, ports=registrar.second))

    confirmed = registrar.facts(RegistrationConfirmed, distinct=True)
    waiting = registrar.facts(RegistrationWaitlisted, distinct=True)
    assert len(confirmed) == 10 and len({e.registration_id for e in confirmed}) == 10
    assert sorted(w.queue_number for w in waiting) == list(range(1, 51))
    assert len({e.registration_id for e in confirmed + waiting}) == 60


@pytest.mark.parametrize("seed", [20270501, 7, 1713])
async def test_every_command_of_a_random_stream_gets_one_outcome_and_the_decisions_of_one_at_a_time(
        registrar: Registrar, seed: int) -> None:
    edition, rng, capacity = await registrar.offer(capacity=7), random.Random(seed), 7
    stream = [registrar.cancel(edition, rng.randrange(40)) if rng.random() < 0.3
              else registrar.register(edition, rng.randrange(40)) for _ in range(200)]
    position = 0
    while position < len(stream):
        size = rng.choice([1, 2, 5, 17, 40])
        await registrar.batch(*stream[position:position + size])
        position += size

    for delivery in stream:
        assert len(registrar.outcomes_of(delivery.envelope)) == 1, delivery.message
    seated, line = one_at_a_time(stream, capacity)
    assert seated == _seated(registrar) and line == _line(registrar)


def one_at_a_time(stream: list[Delivery], capacity: int) -> tuple[set[UUID], list[UUID]]:
    """The reference: first come, first served, a freed seat to the first in line, one command at a time."""
    seated: list[UUID] = []
    line: list[UUID] = []
    for delivery in stream:
        registration_id = delivery.message.registration_id
        if isinstance(delivery.message, RegisterParticipant):
            if registration_id in seated or registration_id in line:
                continue
            (seated if len(seated) < capacity and not line else line).append(registration_id)
        elif registration_id in line:
            line.remove(registration_id)
        elif registration_id in seated:
            seated.remove(registration_id)
            if line:
                seated.append(line.pop(0))
    return set(seated), line


def _seated(registrar: Registrar) -> set[UUID]:
    seated: set[UUID] = set()
    for event in (parse(e) for e in registrar.publisher.envelopes):
        if isinstance(event, RegistrationConfirmed | RegistrationPromoted):
            seated.add(event.registration_id)
        elif isinstance(event, RegistrationCancelled) and event.previous_status == "confirmed":
            seated.discard(event.registration_id)
    return seated


def _line(registrar: Registrar) -> list[UUID]:
    waiting: dict[UUID, int] = {}
    for event in (parse(e) for e in registrar.publisher.envelopes):
        if isinstance(event, RegistrationWaitlisted):
            waiting[event.registration_id] = event.queue_number
        elif isinstance(event, RegistrationPromoted | RegistrationCancelled):
            waiting.pop(event.registration_id, None)
    return sorted(waiting, key=waiting.__getitem__)
