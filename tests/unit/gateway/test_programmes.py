"""Programmes over HTTP: drafted with phases and outside dates, moved stage by stage, a skipped stage refused with
scheduling's reason, and the phases and the funding round in the programme's calendar."""

from uuid import uuid4

import pytest

from koos_cli.programme_2016 import draft_2016, workshops_2016
from koos_contracts import Envelope, parse
from koos_kit.events import EventFactory
from koos_scheduling.service_layer import programmes
from koos_scheduling.service_layer.programmes import ProgrammePorts
from tests.fakes import RecordingReplies
from tests.unit.gateway.harness import OSLO, Gateway, staff
from tests.unit.scheduling.fakes import FakeProgrammeRepository

HANDLERS = {"DraftProgramme": programmes.draft_programme, "AdvanceProgramme": programmes.advance_programme,
            "PlanWorkshops": programmes.plan_workshops, "DateWorkshop": programmes.date_workshop}


@pytest.fixture
def scheduling(gateway: Gateway) -> ProgrammePorts:
    """Scheduling's programme handlers answer, and their events come back to the gateway."""
    ports = ProgrammePorts(programmes=FakeProgrammeRepository(), replies=RecordingReplies(),
                           factory=EventFactory("/scheduling"))

    async def respond(command: Envelope) -> None:
        message = parse(command)
        await HANDLERS[type(message).__name__](message, command, ports)  # type: ignore[operator]
        stored = [*ports.programmes.events, *ports.replies.envelopes]  # type: ignore[attr-defined]
        await gateway.deliver(*[e for e in stored if e.causationid == command.id])

    gateway.bus.responder = respond
    return ports


async def test_a_programme_moves_stage_by_stage_and_a_skip_is_refused(gateway: Gateway,
                                                                      scheduling: ProgrammePorts) -> None:
    programme_id = str(uuid4())
    drafted = await gateway.client.post("/v1/programmes", json=draft_2016(programme_id), headers=staff(OSLO))
    assert drafted.status_code == 201
    assert (drafted.json()["stage"], drafted.json()["next_stage"]) == ("draft", "published")

    stage = f"/v1/programmes/{programme_id}/stage"
    published = await gateway.client.post(stage, json={"to": "published"}, headers=staff(OSLO))
    skipped = await gateway.client.post(stage, json={"to": "running"}, headers=staff(OSLO))

    assert published.json()["stage"] == "published"
    assert skipped.status_code == 422
    assert skipped.json()["error"]["reason"] == "running can only follow registration closed; the programme is " \
                                                "published"
    shown = await gateway.client.get(f"/v1/programmes/{programme_id}", headers=staff(OSLO))
    assert shown.json()["stage"] == "published"


async def test_a_trainer_may_not_move_a_programme(gateway: Gateway, scheduling: ProgrammePorts) -> None:
    programme_id = str(uuid4())
    await gateway.client.post("/v1/programmes", json=draft_2016(programme_id), headers=staff(OSLO))
    answer = await gateway.client.post(f"/v1/programmes/{programme_id}/stage", json={"to": "published"},
                                       headers=staff(OSLO, role="trainer"))
    assert answer.status_code == 403


async def test_the_calendar_has_the_phases_and_the_funding_round(gateway: Gateway, scheduling: ProgrammePorts) -> None:
    programme_id = str(uuid4())
    await gateway.client.post("/v1/programmes", json=draft_2016(programme_id), headers=staff(OSLO))
    feed = (await gateway.client.get(f"/v1/programmes/{programme_id}/calendar.ics", params={"lang": "et"})).text

    assert "SUMMARY:Teenuse arendamise taotlusvoor sulgub" in feed
    assert "DTSTART;TZID=Europe/Tallinn:20160531T000000" in feed
    assert "SUMMARY:Koosloome programm 2016: Uuring ja koosloome" in feed


async def test_workshops_to_be_set_are_dated_later_and_appear_in_the_calendar(gateway: Gateway,
                                                                              scheduling: ProgrammePorts) -> None:
    programme_id = str(uuid4())
    await gateway.client.post("/v1/programmes", json=draft_2016(programme_id), headers=staff(OSLO))
    planned = await gateway.client.put(f"/v1/programmes/{programme_id}/workshops",
                                       json={"workshops": workshops_2016()}, headers=staff(OSLO))
    assert planned.status_code == 200
    assert [w["day"] for w in planned.json()["workshops"]][5:] == ["2016-05-25", None, None, None, None]
    before = (await gateway.client.get(f"/v1/programmes/{programme_id}/calendar.ics")).text
    assert before.count("BEGIN:VEVENT") == 2 + 1 + 6

    dated = await gateway.client.post(f"/v1/programmes/{programme_id}/workshops/workshop-7/day",
                                      json={"day": "2016-09-14"}, headers=staff(OSLO))
    assert dated.json()["workshops"][6]["day"] == "2016-09-14"
    feed = (await gateway.client.get(f"/v1/programmes/{programme_id}/calendar.ics", params={"lang": "en"})).text
    assert "SUMMARY:Co-creation programme 2016: Volunteers" in feed
    assert "DTSTART;TZID=Europe/Tallinn:20160914T094500" in feed
    assert "12:30–13:30 lunch" in feed.replace("\r\n ", "")


async def test_workshops_the_contract_refuses_are_a_422_with_the_field(gateway: Gateway,
                                                                       scheduling: ProgrammePorts) -> None:
    programme_id = str(uuid4())
    await gateway.client.post("/v1/programmes", json=draft_2016(programme_id), headers=staff(OSLO))

    none = await gateway.client.put(f"/v1/programmes/{programme_id}/workshops", json={"workshops": []},
                                    headers=staff(OSLO))

    assert none.status_code == 422
    assert none.json()["error"]["code"] == "validation_failed"
    assert none.json()["error"]["details"][0]["field"] == "body.workshops"
