"""What the gateway's read models hold about a person inside them, on the real Mongo-wire server: a team
member, an application's contact, a released result naming them: in their export, and anonymised by their
erasure while every other person and every count in those read models stays as it was."""

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import pytest
from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase

from koos_cli import programme_2016 as p2016
from koos_contracts import homework
from koos_contracts.identity import person_id_for
from koos_contracts.teams import CompositionRule, Member
from koos_contracts.values import ERASED_NAME, Participant, erased_address
from koos_gateway.adapters.homework import MongoHomeworkGrid
from koos_gateway.adapters.personal_data import GatewayHolder
from koos_gateway.adapters.selections import MongoSelections
from koos_gateway.adapters.teams import MongoTeams
from koos_gateway.domain.homework import HomeworkGrid
from koos_gateway.domain.teams import TeamProgrammeView, TeamView
from tests.unit.gateway.fakes import FakePeople, FakePrivacyRequests

pytestmark = pytest.mark.integration
ORG = "sev"


@pytest.fixture
async def db(mongo_url: str) -> AsyncIterator[AsyncDatabase[dict[str, Any]]]:
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(mongo_url, tz_aware=True)
    database = client[f"gateway_privacy_{uuid.uuid4().hex[:10]}"]
    yield database
    await client.drop_database(database.name)
    await client.close()


def _participant(name: str, email: str) -> Participant:
    return Participant(email=email, name=name, language="et", person_id=person_id_for(ORG, email))


def _contact(name: str, email: str, role: str) -> dict[str, Any]:
    return {"person": {"email": email, "name": name, "language": "et", "subject_id": person_id_for(ORG, email)},
            "role": role}


async def test_an_erasure_reaches_every_read_model_naming_the_person(db: AsyncDatabase[dict[str, Any]]) -> None:
    kai, mart = _participant("Kai Õunapuu", "kai@erm.example"), _participant("Mart Kask", "mart@erm.example")
    team = TeamView(team_id="t1", name="Tartu team", ngo="Tugiliin MTÜ", idea="Peer support",
                    lead_person_id=kai.person_id,
                    members=(Member(participant=kai, organisation="Tugiliin MTÜ", role="ngo_leader"),
                             Member(participant=mart, organisation="Tugiliin MTÜ", role="ngo_staff")))
    await MongoTeams(db.team_programmes).save(TeamProgrammeView(
        programme_id="p2016", organisation_id=ORG, title={"en": "Co-creation"}, timezone="Europe/Tallinn", places=6,
        rule=CompositionRule.model_validate(p2016.RULE), teams=(team,)), "event-1")
    selections = MongoSelections(db.applications, db.juries)
    await selections.application("e1", ORG, "a1", {
        "status": "applied", "institution": {"institution_id": "erm", "name": "ERM", "kind": "museum"},
        "contacts": [_contact("Kai Õunapuu", "kai@erm.example", "juht"), _contact("Mart Kask", "mart@erm.example",
                                                                                  "kuraator")],
        "staff": [], "motivation": {"text": "Uued külastajad"}})
    await selections.record("e1", ORG, "release", {"results": [{"application_id": "a1", "selected": True,
                                                              "contacts": [_contact("Kai Õunapuu", "kai@erm.example",
                                                                                    "juht")]}]})
    await selections.application("e2", "other-org", "a2", {"contacts": [_contact("Kai Õunapuu", "kai@erm.example",
                                                                                 "juht")]})
    holder = GatewayHolder(db.registrations, db.deliveries, FakePeople(), FakePrivacyRequests(),
                           [db.team_programmes, db.applications, db.juries])

    exported = await holder.export(kai.person_id, ORG)
    erased = await holder.erase(kai.person_id, ORG)
    again = await holder.erase(kai.person_id, ORG)

    assert sorted((n["kind"], n["as"]) for n in exported["named"]) == [
        ("applications", "contacts.0.person"), ("juries", "release.results.0.contacts.0.person"),
        ("team_programmes", "teams.0.members.0.participant")]
    assert {n["person"]["email"] for n in exported["named"]} == {"kai@erm.example"}
    assert erased["named"] == 3 and again["named"] == 0
    programme = await MongoTeams(db.team_programmes).get("p2016")
    assert programme is not None
    assert [(m.participant.name, m.participant.email, m.role) for m in programme.teams[0].members] == [
        (ERASED_NAME, erased_address(kai.person_id), "ngo_leader"), ("Mart Kask", "mart@erm.example", "ngo_staff")]
    [application] = await selections.applications("e1")
    assert [c["person"]["name"] for c in application["contacts"]] == [ERASED_NAME, "Mart Kask"]
    assert application["motivation"]["text"] == ERASED_NAME and application["status"] == "applied"
    jury = await selections.round("e1")
    assert jury is not None and jury["release"]["results"][0]["contacts"][0]["person"]["name"] == ERASED_NAME
    [elsewhere] = await selections.applications("e2")
    assert elsewhere["contacts"][0]["person"]["name"] == "Kai Õunapuu"


async def test_what_a_member_handed_in_is_exported_and_erased_and_the_grid_stays(
        db: AsyncDatabase[dict[str, Any]]) -> None:
    store = MongoHomeworkGrid(db.homework)
    programme, team, due = uuid.uuid4(), uuid.uuid4(), datetime(2016, 3, 22, 22, tzinfo=UTC)
    grid = HomeworkGrid(str(programme), ORG)
    grid.set(homework.HomeworkSet(programme_id=programme, homework_key="interviews", title={"en": "Interviews"},
                                  description={}, due_at=due, workshop_key=None, team_ids=(team,)))
    for n, (person, text) in enumerate((("kai", "Kai's notes"), ("mart", "Mart's notes")), start=1):
        grid.submitted(homework.HomeworkSubmitted(
            programme_id=programme, homework_key="interviews", team_id=team, version_number=n, person_id=person,
            text=text, attachments=(homework.Attachment(name=f"{person}.pdf", size_bytes=10, key=f"k-{person}"),),
            submitted_at=due, late=False, status="submitted"))
    await store.save(grid, "event-1")
    holder = GatewayHolder(db.registrations, db.deliveries, FakePeople(), FakePrivacyRequests(), homework=store)

    exported = await holder.export("kai", ORG)
    erased = await holder.erase("kai", ORG)
    again = await holder.erase("kai", ORG)

    assert [(v["version"], v["text"]) for v in exported["homework"]] == [(1, "Kai's notes")]
    assert erased["homework_versions"] == 1 and again["homework_versions"] == 0
    kept = await store.get(str(programme))
    assert kept is not None and kept.cells() == {str(team): {"interviews": "submitted"}}
    versions = kept.items["interviews"].teams[str(team)].versions
    assert [(v["text"], [a["name"] for a in v["attachments"]]) for v in versions] == [
        (ERASED_NAME, [ERASED_NAME]), ("Mart's notes", ["mart.pdf"])]
