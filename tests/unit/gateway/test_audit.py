"""The audit trail: who read or changed a person's data, for the organisers of the person's organisation only."""

from typing import Any

from koos_contracts.identity import person_id_for
from koos_contracts.registration import RegistrationCancelled
from tests.builders import person
from tests.fakes import envelope_for
from tests.unit.gateway.harness import BERGEN, OSLO, Gateway, bearer, staff


async def trail(gateway: Gateway, person_id: str, headers: dict[str, str]) -> list[dict[str, Any]]:
    answer = await gateway.client.get(f"/v1/audit/people/{person_id}", headers=headers)
    assert answer.status_code == 200
    return list(answer.json())


async def test_an_organiser_reading_the_roster_and_cancelling_someone_is_in_that_persons_trail(
        gateway: Gateway) -> None:
    plan = await gateway.publish_edition()
    hers = await gateway.registration_event(plan, person(1))
    await gateway.registration_event(plan, person(2))
    her = person_id_for(OSLO, person(1).email)

    gateway.clock.advance(seconds=1)
    assert (await gateway.client.get(f"/v1/editions/{plan.edition_id}/registrations", headers=staff())).status_code \
        == 200
    gateway.clock.advance(seconds=1)
    assert (await gateway.client.delete(f"/v1/registrations/{hers}", headers=staff())).status_code == 202

    entries = await trail(gateway, her, staff())
    assert [(e["actor_kind"], e["actor_id"], e["action"], e["subject"]) for e in entries] == [
        ("staff", "kari", "registration.cancel", hers), ("staff", "kari", "roster.read", hers),
        ("service", "tests", "RegistrationConfirmed", hers)]
    assert person(1).email not in str(entries) and person(1).name not in str(entries)


async def test_another_organisations_organiser_sees_nothing_of_the_trail(gateway: Gateway) -> None:
    plan = await gateway.publish_edition()
    await gateway.registration_event(plan, person(1))
    await gateway.client.get(f"/v1/editions/{plan.edition_id}/registrations", headers=staff())
    her = person_id_for(OSLO, person(1).email)

    elsewhere = await gateway.client.get(f"/v1/audit/people/{her}", headers=staff(BERGEN))
    assert elsewhere.status_code == 404
    organisation = await gateway.client.get("/v1/audit", headers=staff(BERGEN))
    assert organisation.status_code == 200 and organisation.json() == []
    oslo = (await gateway.client.get("/v1/audit", headers=staff())).json()
    assert sorted(e["action"] for e in oslo) == ["RegistrationConfirmed", "roster.read"]


async def test_only_organisers_read_the_trail(gateway: Gateway) -> None:
    plan = await gateway.publish_edition()
    await gateway.registration_event(plan, person(1))
    her = person_id_for(OSLO, person(1).email)

    trainer = await gateway.client.get(f"/v1/audit/people/{her}", headers=staff(role="trainer"))
    participant = await gateway.client.get(f"/v1/audit/people/{her}",
                                           headers=bearer(gateway.participant_token(person(1), plan)))

    assert (trainer.status_code, participant.status_code) == (403, 403)


async def test_the_changes_services_made_are_in_the_trail_once_even_when_their_events_come_again(
        gateway: Gateway) -> None:
    plan = await gateway.publish_edition()
    hers = await gateway.registration_event(plan, person(1))
    her = person_id_for(OSLO, person(1).email)
    cancelled = envelope_for(RegistrationCancelled(registration_id=hers, edition_id=plan.edition_id, person_id=her,
                                                   previous_status="confirmed", cancelled_at=gateway.clock.now()),
                             organisation_id=OSLO, time=gateway.clock.now())

    await gateway.deliver(cancelled)
    await gateway.deliver(cancelled)

    entries = await trail(gateway, her, staff())
    assert sorted((e["actor_kind"], e["action"], e["subject"]) for e in entries) == [
        ("service", "RegistrationCancelled", hers), ("service", "RegistrationConfirmed", hers)]
