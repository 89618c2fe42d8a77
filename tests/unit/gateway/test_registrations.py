"""Registrations: lists for staff in queue order, positions that move up, participants see only their own."""

from datetime import timedelta

from koos_contracts.registration import CancelRegistration, RegistrationCancelled, RegistrationPromoted
from koos_contracts.values import Participant
from tests.builders import person
from tests.unit.gateway.harness import Gateway, bearer, event, staff


async def test_organisers_see_confirmed_and_waiting_lists_with_the_line_in_queue_order(gateway: Gateway) -> None:
    plan = await gateway.publish_edition(capacity=1)
    await gateway.registration_event(plan, person(1))
    for n, queue_number in ((3, 7), (2, 4), (4, 9)):
        await gateway.registration_event(plan, person(n), queue_number=queue_number)
    await gateway.seats(plan, taken=1, in_line=3)

    roster = (await gateway.client.get(f"/v1/editions/{plan.edition_id}/registrations",
                                       headers=staff(role="trainer"))).json()

    assert [e["email"] for e in roster["confirmed"]] == [person(1).email]
    assert [(e["email"], e["waiting_position"]) for e in roster["waiting"]] == [
        (person(2).email, 1), (person(3).email, 2), (person(4).email, 3)]
    assert roster["waiting"][0]["name"] == person(2).name and roster["seats_left"] == 0


async def test_a_waiting_position_moves_up_when_someone_ahead_is_promoted(gateway: Gateway) -> None:
    plan = await gateway.publish_edition(capacity=1)
    first = await gateway.registration_event(plan, person(2), queue_number=1)
    second = await gateway.registration_event(plan, person(3), queue_number=2)
    token = bearer(gateway.participant_token(person(3), plan))
    assert (await gateway.client.get(f"/v1/registrations/{second}", headers=token)).json()["waiting_position"] == 2

    gateway.clock.advance(seconds=5)
    participant = Participant(person_id=gateway.registrations.registrations[first].person_id,
                              **person(2).model_dump())
    await gateway.deliver(event(RegistrationPromoted(
        registration_id=first, edition_id=plan.edition_id, participant=participant, promoted_at=gateway.clock.now()),
        at=gateway.clock.now()))

    assert (await gateway.client.get(f"/v1/registrations/{second}", headers=token)).json()["waiting_position"] == 1


async def test_an_older_event_arriving_late_does_not_undo_a_newer_one(gateway: Gateway) -> None:
    plan = await gateway.publish_edition()
    registration = await gateway.registration_event(plan, person(1))
    person_id = gateway.registrations.registrations[registration].person_id
    cancelled_at = gateway.clock.now() + timedelta(minutes=1)
    await gateway.deliver(event(RegistrationCancelled(
        registration_id=registration, edition_id=plan.edition_id, person_id=person_id, previous_status="confirmed",
        cancelled_at=cancelled_at), at=cancelled_at))

    await gateway.registration_event(plan, person(1), at=gateway.clock.now())

    answer = await gateway.client.get(f"/v1/registrations/{registration}", headers=staff())
    assert answer.json()["status"] == "cancelled"


async def test_a_participant_sees_their_own_registrations_and_not_anyone_elses(gateway: Gateway) -> None:
    plan = await gateway.publish_edition()
    mine = await gateway.registration_event(plan, person(1))
    theirs = await gateway.registration_event(plan, person(2))
    token = bearer(gateway.participant_token(person(1), plan))

    listed = (await gateway.client.get("/v1/me/registrations", headers=token)).json()
    other = await gateway.client.get(f"/v1/registrations/{theirs}", headers=token)

    assert [r["registration_id"] for r in listed] == [mine]
    assert listed[0]["status"] == "confirmed"
    assert other.status_code == 404


async def test_a_participant_cancels_their_own_registration(gateway: Gateway) -> None:
    plan = await gateway.publish_edition()
    mine = await gateway.registration_event(plan, person(1))

    answer = await gateway.client.delete(f"/v1/registrations/{mine}",
                                         headers=bearer(gateway.participant_token(person(1), plan)))

    assert answer.status_code == 202
    (command,) = gateway.sent(CancelRegistration)
    assert str(command.data["registration_id"]) == mine


async def test_a_participant_may_not_cancel_someone_elses_registration(gateway: Gateway) -> None:
    plan = await gateway.publish_edition()
    theirs = await gateway.registration_event(plan, person(2))

    answer = await gateway.client.delete(f"/v1/registrations/{theirs}",
                                         headers=await gateway.participant(person(1), plan))

    assert answer.status_code == 404
    assert gateway.sent(CancelRegistration) == []


async def test_a_trainer_may_read_the_lists_but_not_cancel(gateway: Gateway) -> None:
    plan = await gateway.publish_edition()
    registration = await gateway.registration_event(plan, person(1))

    answer = await gateway.client.delete(f"/v1/registrations/{registration}", headers=staff(role="trainer"))

    assert answer.status_code == 403


async def test_participants_may_not_read_an_editions_lists(gateway: Gateway) -> None:
    plan = await gateway.publish_edition()

    answer = await gateway.client.get(f"/v1/editions/{plan.edition_id}/registrations",
                                      headers=await gateway.participant(person(1), plan))

    assert answer.status_code == 403
