"""The gateway against the real Kafka broker and Mongo-wire server: commands out as CloudEvents, events in as views."""

import asyncio
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from icalendar import Calendar

from koos_contracts import from_record
from koos_contracts.identity import person_id_for, registration_id_for
from koos_contracts.registration import RegistrationConfirmed, RegistrationWaitlisted, SeatsChanged
from koos_contracts.scheduling import PublishEdition, SessionRescheduled
from koos_contracts.topics import SCHEDULING_COMMANDS
from koos_contracts.values import Participant, Person
from koos_kit.ical import session_uid
from tests.builders import CITY_HALL, LIBRARY, open_course, opened, person, published
from tests.fixtures.kafka import KafkaProbe, eventually
from tests.integration.gateway.conftest import ORGANISATION, LiveGateway, staff_headers
from tests.tokens import participant_token

pytestmark = pytest.mark.integration


async def test_a_command_posted_over_http_lands_on_its_topic_as_a_binary_mode_cloudevent(
        live_gateway: LiveGateway, kafka_probe: KafkaProbe) -> None:
    plan = open_course()
    answer = await live_gateway.client.post("/v1/editions", json=plan.model_dump(mode="json"),
                                            headers=staff_headers(**{"X-Correlation-ID": "it-publish-1"}))

    assert answer.status_code == 202
    (record,) = await kafka_probe.records(SCHEDULING_COMMANDS.name, lambda rs: len(rs) >= 1)
    headers = {name: value.decode() for name, value in record.headers}
    assert headers["ce_type"] == PublishEdition.ce_type()
    assert headers["ce_organisationid"] == ORGANISATION
    assert headers["ce_correlationid"] == "it-publish-1" == answer.headers["X-Correlation-ID"]
    assert headers["ce_source"] == "/koos/gateway" and headers["ce_specversion"] == "1.0"
    assert headers["ce_id"] == answer.json()["command_id"]
    assert record.key == str(plan.edition_id).encode()
    assert PublishEdition.model_validate(json.loads(record.value)) == plan


async def test_the_outcome_published_by_scheduling_answers_the_waiting_request_201(
        patient_gateway: LiveGateway, kafka_probe: KafkaProbe) -> None:
    scheduling = asyncio.create_task(play_scheduling(kafka_probe))
    plan = open_course()

    answer = await patient_gateway.client.post("/v1/editions", json=plan.model_dump(mode="json"),
                                               headers=staff_headers())

    await scheduling
    assert answer.status_code == 201
    assert answer.json()["edition_id"] == str(plan.edition_id)
    assert answer.json()["organisation_id"] == ORGANISATION


async def play_scheduling(probe: KafkaProbe) -> None:
    """Answer the first PublishEdition with EditionPublished caused by it, as scheduling does."""
    (record,) = await probe.records(SCHEDULING_COMMANDS.name, lambda rs: len(rs) >= 1)
    command = from_record(record.value, [(k, v or b"") for k, v in record.headers])
    await probe.send(published(PublishEdition(**command.data)), organisation_id=command.organisationid,
                     causation_id=command.id, correlation_id=command.correlationid)


async def test_published_events_become_visible_through_the_edition_and_its_lists(
        live_gateway: LiveGateway, kafka_probe: KafkaProbe) -> None:
    plan = open_course(capacity=1)
    await kafka_probe.send(published(plan), organisation_id=ORGANISATION)
    await kafka_probe.send(confirmed(plan, person(1)), organisation_id=ORGANISATION)
    await kafka_probe.send(waitlisted(plan, person(2), 1), organisation_id=ORGANISATION)
    await kafka_probe.send(waitlisted(plan, person(3), 2), organisation_id=ORGANISATION)
    await kafka_probe.send(SeatsChanged(edition_id=plan.edition_id, capacity=1, taken=1, in_line=2, sequence=1),
                           organisation_id=ORGANISATION)

    roster = await eventually(lambda: found(live_gateway, f"/v1/editions/{plan.edition_id}/registrations",
                                            when=lambda r: len(r["waiting"]) == 2), timeout=30)

    assert [e["email"] for e in roster["confirmed"]] == [person(1).email]
    assert [(e["email"], e["waiting_position"]) for e in roster["waiting"]] == [
        (person(2).email, 1), (person(3).email, 2)]
    public = await eventually(lambda: found(live_gateway, f"/v1/public/editions/{plan.edition_id}",
                                            when=lambda e: e["waiting"] == 2), timeout=30)
    assert public["seats_left"] == 0
    other = await live_gateway.client.get(f"/v1/editions/{plan.edition_id}",
                                          headers=staff_headers(organisation_id="bodo-kommune"))
    assert other.status_code == 404


async def test_a_reschedule_published_by_scheduling_changes_the_ical_feed(
        live_gateway: LiveGateway, kafka_probe: KafkaProbe) -> None:
    plan = open_course()
    await kafka_probe.send(published(plan), organisation_id=ORGANISATION)
    feed = f"/v1/editions/{plan.edition_id}/calendar.ics"
    await eventually(lambda: found(live_gateway, f"/v1/public/editions/{plan.edition_id}"), timeout=30)
    before = await live_gateway.client.get(feed)
    moved_to = datetime.combine(plan.sessions[1].date, plan.sessions[1].start, tzinfo=UTC) + timedelta(hours=1)

    await kafka_probe.send(SessionRescheduled(
        edition_id=plan.edition_id, session_id="s2", starts_at=moved_to, ends_at=moved_to + timedelta(hours=3),
        venue=LIBRARY, previous_starts_at=moved_to, previous_ends_at=moved_to, previous_venue=CITY_HALL),
        organisation_id=ORGANISATION)

    uid = session_uid(plan.edition_id, "s2")
    after = await eventually(lambda: calendar_entry(live_gateway, feed, uid, lambda e: e["SEQUENCE"] == 1),
                             timeout=30)
    assert entry_of(before.content, uid)["SEQUENCE"] == 0
    assert after.decoded("DTSTART") == moved_to
    assert str(after["LOCATION"]).startswith("Deichman Bjørvika")


async def test_a_public_sign_up_is_published_and_followed_with_the_mailed_participant_token(
        live_gateway: LiveGateway, kafka_probe: KafkaProbe) -> None:
    plan = open_course()
    await kafka_probe.send(published(plan), organisation_id=ORGANISATION)
    await kafka_probe.send(opened(plan), organisation_id=ORGANISATION)
    await eventually(lambda: found(live_gateway, f"/v1/public/editions/{plan.edition_id}"), timeout=30)

    answer = await live_gateway.client.post(f"/v1/public/editions/{plan.edition_id}/registrations",
                                            json=person(1).model_dump(mode="json"))
    await kafka_probe.send(confirmed(plan, person(1)), organisation_id=ORGANISATION)

    assert answer.status_code == 202
    assert "participant_token" not in answer.json()
    mailed = participant_token(ORGANISATION, person_id_for(ORGANISATION, person(1).email),
                               str(registration_id_for(plan.edition_id, person(1).email)))
    token = {"Authorization": f"Bearer {mailed}"}
    mine = await eventually(lambda: found(live_gateway, "/v1/me/registrations", headers=token,
                                          when=lambda r: r and r[0]["status"] == "confirmed"), timeout=30)
    assert mine[0]["registration_id"] == str(registration_id_for(plan.edition_id, person(1).email))


def confirmed(plan: PublishEdition, someone: Person) -> RegistrationConfirmed:
    return RegistrationConfirmed(registration_id=registration_id_for(plan.edition_id, someone.email),
                                 edition_id=plan.edition_id, participant=participant(someone),
                                 confirmed_at=datetime.now(UTC))


def waitlisted(plan: PublishEdition, someone: Person, queue_number: int) -> RegistrationWaitlisted:
    return RegistrationWaitlisted(registration_id=registration_id_for(plan.edition_id, someone.email),
                                  edition_id=plan.edition_id, participant=participant(someone),
                                  queue_number=queue_number, position=queue_number, waitlisted_at=datetime.now(UTC))


def participant(someone: Person) -> Participant:
    return Participant(person_id=person_id_for(ORGANISATION, someone.email), **someone.model_dump())


async def found(live: LiveGateway, path: str, headers: dict[str, str] | None = None,
                when: Any = lambda body: True) -> Any:
    """The body of a GET once it answers 200 and satisfies `when`, else None."""
    answer: httpx.Response = await live.client.get(path, headers=headers or staff_headers("trainer"))
    return answer.json() if answer.status_code == 200 and when(answer.json()) else None


async def calendar_entry(live: LiveGateway, path: str, uid: str, when: Any) -> Any:
    entry = entry_of((await live.client.get(path)).content, uid)
    return entry if when(entry) else None


def entry_of(document: bytes, uid: str) -> Any:
    return next(e for e in Calendar.from_ical(document).walk("VEVENT") if str(e["UID"]) == uid)
