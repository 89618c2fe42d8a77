"""People get seats first come, first served; the rest wait in line and move up on cancellations."""

from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

import pytest

from koos_contracts import parse
from koos_contracts.identity import registration_id_for
from koos_contracts.registration import (
    CancelRegistration,
    RegisterParticipant,
    RegistrationCancelled,
    RegistrationConfirmed,
    RegistrationPromoted,
    RegistrationRefused,
    RegistrationWaitlisted,
)
from koos_contracts.scheduling import EditionPublished
from koos_kit.events import EventFactory
from koos_registration.service_layer import handlers
from koos_registration.service_layer.handlers import EditionNotYetKnown, Ports
from tests.builders import person
from tests.fakes import FixedClock, RecordingPublisher, bare_envelope, envelope_for
from tests.unit.registration.fakes import FakeRegistrations, FakeSeats

ORG = "org-oslo"
NOW = datetime(2027, 5, 1, 8, 0, tzinfo=UTC)


@pytest.fixture
def ports() -> Ports:
    return Ports(FakeSeats(), FakeRegistrations(), RecordingPublisher(), FixedClock(NOW), EventFactory("/t"))


async def publish_offer(ports: Ports, capacity: int, organisation: str = ORG) -> UUID:
    edition_id = uuid4()
    event = EditionPublished.model_construct(edition_id=edition_id, capacity=capacity,
                                             registration_opens_at=NOW - timedelta(days=1),
                                             registration_closes_at=NOW + timedelta(days=10))
    await handlers.open_offer(event, bare_envelope(organisation), ports)
    return edition_id


async def register(ports: Ports, edition_id: UUID, n: int, at: datetime = NOW, organisation: str = ORG) -> None:
    command = RegisterParticipant(edition_id=edition_id, person=person(n))
    await handlers.register(command, envelope_for(command, organisation, time=at), ports)


async def cancel(ports: Ports, edition_id: UUID, n: int) -> None:
    registration_id = registration_id_for(edition_id, person(n).email)
    command = CancelRegistration(edition_id=edition_id, registration_id=registration_id)
    await handlers.cancel(command, envelope_for(command), ports)


def facts(ports: Ports, of_type: type) -> list:  # type: ignore[type-arg]
    stored = [parse(e) for e in ports.registrations.stored_events]  # type: ignore[attr-defined]
    return [m for m in stored if isinstance(m, of_type)]


def emails(events: list) -> list[str]:  # type: ignore[type-arg]
    return [e.participant.email for e in events]


async def test_seats_go_first_come_first_served_and_the_rest_wait_in_order(ports: Ports) -> None:
    edition = await publish_offer(ports, capacity=3)
    for n in range(6):
        await register(ports, edition, n)

    assert emails(facts(ports, RegistrationConfirmed)) == [person(n).email for n in range(3)]
    waiting = facts(ports, RegistrationWaitlisted)
    assert emails(waiting) == [person(n).email for n in range(3, 6)]
    assert [w.position for w in waiting] == [1, 2, 3]


async def test_registering_twice_is_one_registration(ports: Ports) -> None:
    edition = await publish_offer(ports, capacity=1)
    await register(ports, edition, 0)
    await register(ports, edition, 0)

    assert len(facts(ports, RegistrationConfirmed)) == 1
    assert await ports.seats.holders(str(edition)) == [str(registration_id_for(edition, person(0).email))]


async def test_a_cancellation_promotes_the_first_person_waiting(ports: Ports) -> None:
    edition = await publish_offer(ports, capacity=2)
    for n in range(5):
        await register(ports, edition, n)
    await cancel(ports, edition, 1)

    assert emails(facts(ports, RegistrationPromoted)) == [person(2).email]
    assert [c.previous_status for c in facts(ports, RegistrationCancelled)] == ["confirmed"]


async def test_leaving_the_waiting_list_promotes_nobody_and_keeps_the_order(ports: Ports) -> None:
    edition = await publish_offer(ports, capacity=1)
    for n in range(4):
        await register(ports, edition, n)
    await cancel(ports, edition, 1)
    await cancel(ports, edition, 0)

    assert emails(facts(ports, RegistrationPromoted)) == [person(2).email]


async def test_registration_outside_the_window_is_refused_with_the_reason(ports: Ports) -> None:
    edition = await publish_offer(ports, capacity=5)
    await register(ports, edition, 0, at=NOW - timedelta(days=2))
    await register(ports, edition, 1, at=NOW + timedelta(days=11))

    refused = ports.publisher.messages(RegistrationRefused)  # type: ignore[attr-defined]
    assert [r.reason_code for r in refused] == ["not_open_yet", "closed"]
    assert "registration closed at" in refused[1].reason
    assert facts(ports, RegistrationConfirmed) == []


async def test_a_registration_arriving_before_its_edition_is_retried_then_refused(ports: Ports) -> None:
    edition = uuid4()
    with pytest.raises(EditionNotYetKnown):
        await register(ports, edition, 0, at=NOW - timedelta(seconds=5))
    await register(ports, edition, 0, at=NOW - timedelta(minutes=5))

    (refused,) = ports.publisher.messages(RegistrationRefused)  # type: ignore[attr-defined]
    assert refused.reason_code == "unknown_edition"


async def test_another_organisations_edition_is_unknown(ports: Ports) -> None:
    edition = await publish_offer(ports, capacity=5, organisation="org-tallinn")
    await register(ports, edition, 0, organisation=ORG)

    (refused,) = ports.publisher.messages(RegistrationRefused)  # type: ignore[attr-defined]
    assert refused.reason_code == "unknown_edition"


async def test_a_crash_after_taking_a_seat_still_confirms_once(ports: Ports) -> None:
    edition = await publish_offer(ports, capacity=1)
    ports.registrations.crash_before = lambda registration: True  # type: ignore[attr-defined]
    with pytest.raises(ConnectionError):
        await register(ports, edition, 0)
    await register(ports, edition, 0)
    await register(ports, edition, 1)

    assert emails(facts(ports, RegistrationConfirmed)) == [person(0).email]
    assert emails(facts(ports, RegistrationWaitlisted)) == [person(1).email]


async def test_a_crash_during_a_promotion_is_finished_on_redelivery(ports: Ports) -> None:
    edition = await publish_offer(ports, capacity=1)
    for n in range(3):
        await register(ports, edition, n)
    ports.registrations.crash_before = lambda r: r.status == "confirmed"  # type: ignore[attr-defined]
    with pytest.raises(ConnectionError):
        await cancel(ports, edition, 0)
    await cancel(ports, edition, 0)

    assert emails(facts(ports, RegistrationPromoted)) == [person(1).email]
    assert len(facts(ports, RegistrationCancelled)) == 1
    assert await ports.seats.holders(str(edition)) == [str(registration_id_for(edition, person(1).email))]


async def test_a_cancelled_person_may_register_again(ports: Ports) -> None:
    edition = await publish_offer(ports, capacity=1)
    await register(ports, edition, 0)
    await cancel(ports, edition, 0)
    await register(ports, edition, 0)

    assert len(facts(ports, RegistrationConfirmed)) == 2


async def test_a_newcomers_position_counts_only_those_still_waiting(ports: Ports) -> None:
    edition = await publish_offer(ports, capacity=1)
    for n in range(4):
        await register(ports, edition, n)
    await cancel(ports, edition, 2)
    await cancel(ports, edition, 0)
    await register(ports, edition, 4)

    waiting = facts(ports, RegistrationWaitlisted)
    assert [(w.participant.email, w.position) for w in waiting] == [
        (person(1).email, 1), (person(2).email, 2), (person(3).email, 3), (person(4).email, 2)]


async def test_a_crash_after_joining_the_line_keeps_the_same_place(ports: Ports) -> None:
    edition = await publish_offer(ports, capacity=1)
    await register(ports, edition, 0)
    await register(ports, edition, 1)
    ports.registrations.crash_before = lambda registration: True  # type: ignore[attr-defined]
    with pytest.raises(ConnectionError):
        await register(ports, edition, 2)
    await register(ports, edition, 2)
    await register(ports, edition, 3)

    waiting = facts(ports, RegistrationWaitlisted)
    assert [(w.queue_number, w.position) for w in waiting] == [(1, 1), (2, 2), (3, 3)]
