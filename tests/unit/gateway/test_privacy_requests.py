"""A person's export and erasure through the gateway: one request to every service, the answers gathered, the
missing ones named after the deadline; an erased person who signs up again is a new person."""

import json
from datetime import UTC, datetime

from koos_contracts.identity import person_id_for, registration_id_for
from koos_contracts.personal_data import (
    HOLDERS,
    ErasePersonalData,
    ExportPersonalData,
    PersonalDataErased,
    PersonalDataExported,
    PersonalDataExportReady,
)
from koos_contracts.registration import RegisterParticipant
from koos_gateway.domain.privacy import ANSWER_WITHIN
from tests.builders import person
from tests.fakes import envelope_for
from tests.unit.gateway.harness import OSLO, Gateway, staff

AT = datetime(2027, 5, 1, tzinfo=UTC)


def _exported(command: ExportPersonalData, service: str, document: dict[str, object]) -> PersonalDataExported:
    return PersonalDataExported(request_id=command.request_id, subject_id=command.subject_id, service=service,
                                document=json.dumps(document), exported_at=AT)


async def test_a_participants_export_gathers_every_services_part_into_one_document_and_a_summary(
        gateway: Gateway) -> None:
    mine = await gateway.participant(person(1))
    asked = await gateway.client.post("/v1/me/exports", headers=mine)
    assert asked.status_code == 202 and asked.json()["status"] == "pending"
    (sent,) = gateway.sent(ExportPersonalData)
    command = ExportPersonalData.model_validate(sent.data)
    assert command.subject_id == person_id_for(OSLO, person(1).email)

    parts = {service: {"held_by": service, "name": person(1).name} for service in HOLDERS}
    for service in HOLDERS[:-1]:
        await gateway.deliver(envelope_for(_exported(command, service, parts[service]), organisation_id=OSLO))
    partial = (await gateway.client.get(asked.headers["Location"], headers=mine)).json()
    assert partial["status"] == "pending" and partial["missing"] == [HOLDERS[-1]]

    await gateway.deliver(envelope_for(_exported(command, HOLDERS[-1], parts[HOLDERS[-1]]), organisation_id=OSLO))
    whole = (await gateway.client.get(asked.headers["Location"], headers=mine)).json()
    assert whole["status"] == "complete" and whole["document"] == parts
    summary = await gateway.client.get(whole["links"]["summary"], headers=mine)
    assert all(f"== {service} ==" in summary.text for service in HOLDERS) and person(1).name in summary.text


async def test_the_participant_is_told_once_when_the_last_part_of_their_export_is_in(gateway: Gateway) -> None:
    plan = await gateway.publish_edition()
    mine = await gateway.participant(person(1), plan)
    await gateway.client.post("/v1/me/exports", headers=mine)
    command = ExportPersonalData.model_validate(gateway.sent(ExportPersonalData)[0].data)
    privacy = gateway.ports.privacy

    for service in HOLDERS[:-1]:
        await gateway.deliver(envelope_for(_exported(command, service, {}), organisation_id=OSLO))
    assert privacy.announcements == [], "not before every service has answered"
    for _ in range(2):  # the last part, and the same part consumed again
        await gateway.deliver(envelope_for(_exported(command, HOLDERS[-1], {}), organisation_id=OSLO))

    (announced,) = privacy.announcements
    ready = PersonalDataExportReady.model_validate(announced.data)
    assert announced.organisationid == OSLO
    assert (ready.request_id, ready.subject_id) == (command.request_id, command.subject_id)
    assert ready.registration_id == registration_id_for(plan.edition_id, person(1).email)


async def test_an_organisers_export_for_a_person_is_followed_on_its_page_and_mails_nobody(gateway: Gateway) -> None:
    plan = await gateway.publish_edition()
    await gateway.client.post(f"/v1/public/editions/{plan.edition_id}/registrations",
                              json=person(1).model_dump(mode="json"))
    await gateway.client.post("/v1/people/exports", json={"email": person(1).email}, headers=staff())
    command = ExportPersonalData.model_validate(gateway.sent(ExportPersonalData)[0].data)

    for service in HOLDERS:
        await gateway.deliver(envelope_for(_exported(command, service, {}), organisation_id=OSLO))

    assert gateway.ports.privacy.announcements == []


async def test_an_export_some_service_does_not_answer_is_reported_with_what_is_missing_after_the_deadline(
        gateway: Gateway) -> None:
    mine = await gateway.participant(person(1))
    asked = await gateway.client.post("/v1/me/exports", headers=mine)

    gateway.clock.advance(seconds=ANSWER_WITHIN.total_seconds() + 1)
    late = (await gateway.client.get(asked.headers["Location"], headers=mine)).json()

    assert late["status"] == "incomplete" and late["missing"] == list(HOLDERS)


async def test_an_organiser_erases_a_person_and_sees_which_services_have_confirmed(gateway: Gateway) -> None:
    plan = await gateway.publish_edition()
    await gateway.client.post(f"/v1/public/editions/{plan.edition_id}/registrations",
                              json=person(1).model_dump(mode="json"))

    asked = await gateway.client.post("/v1/people/erasures", json={"email": person(1).email}, headers=staff())
    (sent,) = gateway.sent(ErasePersonalData)
    command = ErasePersonalData.model_validate(sent.data)
    erased = PersonalDataErased(request_id=command.request_id, subject_id=command.subject_id,
                                service="registration", erased={"registrations": 1}, erased_at=AT)
    await gateway.deliver(envelope_for(erased, organisation_id=OSLO))
    status = (await gateway.client.get(asked.headers["Location"], headers=staff())).json()

    assert asked.status_code == 202 and command.subject_id == person_id_for(OSLO, person(1).email)
    assert status["confirmations"] == {"registration": {"registrations": 1}}
    assert set(status["missing"]) == set(HOLDERS) - {"registration"} and status["document"] is None


async def test_only_organisers_ask_for_a_person_and_an_erased_address_is_not_found(gateway: Gateway) -> None:
    await gateway.ports.people.forget(person_id_for(OSLO, person(2).email))
    erased = await gateway.client.post("/v1/people/erasures", json={"email": person(2).email}, headers=staff())
    trainer = await gateway.client.post("/v1/people/exports", json={"email": person(1).email},
                                        headers=staff(role="trainer"))

    assert erased.status_code == 404 and trainer.status_code == 403
    assert gateway.sent(ErasePersonalData) == [] and gateway.sent(ExportPersonalData) == []


async def test_an_erased_person_signing_up_again_is_a_new_person_with_a_new_registration(gateway: Gateway) -> None:
    plan = await gateway.publish_edition()
    path = f"/v1/public/editions/{plan.edition_id}/registrations"
    first = await gateway.client.post(path, json=person(1).model_dump(mode="json"))
    await gateway.ports.people.forget(person_id_for(OSLO, person(1).email))

    again = await gateway.client.post(path, json=person(1).model_dump(mode="json"))

    assert first.json()["registration_id"] == str(registration_id_for(plan.edition_id, person(1).email))
    assert again.json()["registration_id"] != first.json()["registration_id"]
    first_command, second_command = (RegisterParticipant.model_validate(e.data) for e in
                                     gateway.sent(RegisterParticipant))
    assert second_command.person.subject_id not in (None, first_command.person.subject_id)
