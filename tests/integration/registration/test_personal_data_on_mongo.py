"""A person's places in teams and in institutions' applications, on the real Mongo-wire server: in their export, and
erased with them while the team keeps its roles (so it still meets its composition rule) and its other members,
and the application its institution, status and people."""

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import pytest
from pymongo import AsyncMongoClient

from koos_cli import programme_2016 as p2016
from koos_contracts.applications import ApplyAsInstitution, Contact, Institution, Motivation
from koos_contracts.identity import person_id_for
from koos_contracts.teams import ApplyWithTeam, DefineTeamProgramme
from koos_contracts.values import Person
from koos_kit.events import EventFactory
from koos_kit.outbox import OutboxRelay
from koos_kit.privacy import ERASED_NAME, erased_address
from koos_kit.versioned import VersionedDocuments
from koos_registration.adapters.applications import MongoApplications
from koos_registration.adapters.personal_data import RegistrationHolder
from koos_registration.adapters.team_programmes import MongoTeamProgrammes
from koos_registration.domain.application import Application
from koos_registration.domain.composition import check
from koos_registration.service_layer import teams
from koos_registration.service_layer.teams import TeamPorts
from tests.fakes import FixedClock, RecordingPublisher, RecordingReplies, envelope_for

pytestmark = pytest.mark.integration

ORG = "sev"
PROGRAMME = UUID("3f0c9a0e-6f44-4b7a-9f55-2a7c1d0e2016")
NOW = datetime(2016, 3, 1, 9, tzinfo=UTC)


@pytest.fixture
async def stores(mongo_url: str) -> AsyncIterator[tuple[TeamPorts, RegistrationHolder, MongoTeamProgrammes,
                                                      MongoApplications]]:
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(mongo_url, tz_aware=True,
                                                                uuidRepresentation="standard")
    db = client[f"teams_privacy_{uuid.uuid4().hex[:10]}"]
    clock = FixedClock(NOW)
    relay = OutboxRelay([db.team_programmes, db.applications], RecordingPublisher(), clock, service="test")
    programmes = MongoTeamProgrammes(db.team_programmes, relay, clock)
    await programmes.ensure_indexes()
    ports = TeamPorts(programmes=programmes, replies=RecordingReplies(), factory=EventFactory("/tests"))
    holder = RegistrationHolder(db.offers, db.registrations, programmes, db.applications)
    await holder.ensure_indexes()
    applications = MongoApplications(VersionedDocuments(db.applications, relay, clock))
    yield ports, holder, programmes, applications
    await client.drop_database(db.name)
    await client.close()


async def _team(ports: TeamPorts, number: int) -> list[dict[str, Any]]:
    members = p2016.full_team(number)
    command = ApplyWithTeam.model_validate({"programme_id": PROGRAMME, "team_id": uuid.uuid4(),
                                            **p2016.application(number, members)})
    await teams.apply_with_team(command, envelope_for(command, ORG), ports)
    return members


async def test_a_members_export_has_their_team_and_their_erasure_keeps_the_team_whole(stores: Any) -> None:
    ports, holder, programmes, _ = stores
    define = DefineTeamProgramme(programme_id=PROGRAMME, title={"en": "Co-creation 2016"}, timezone="Europe/Tallinn",
                                 places=6, rule=p2016.RULE)
    await teams.define_programme(define, envelope_for(define, ORG), ports)
    first, second = await _team(ports, 1), await _team(ports, 2)
    staff = first[1]["person"]
    subject = person_id_for(ORG, staff["email"])

    exported = await holder.export(subject, ORG)
    stranger = await holder.export(subject, "other-org")
    erased = await holder.erase(subject, ORG)
    again = await holder.erase(subject, ORG)
    after = await holder.export(subject, ORG)
    programme = await programmes.get(str(PROGRAMME))

    (place,) = exported["teams"]
    assert (place["role"], place["lead"], place["status"]) == ("ngo_staff", False, "applied")
    assert place["participant"]["email"] == staff["email"] and place["participant"]["name"] == staff["name"]
    assert stranger == {"registrations": [], "teams": [], "applications": []}
    assert erased == {"registrations": 0, "team_members": 1, "application_people": 0} and again["team_members"] == 0
    (still,) = after["teams"]
    assert still["participant"]["name"] == ERASED_NAME and still["participant"]["email"] == erased_address(subject)
    assert programme is not None
    entries = [m for t in programme.teams.values() for m in t.members]
    assert sorted(m.participant.email for m in entries if m.participant.person_id != subject) == sorted(
        m["person"]["email"] for m in [*first, *second] if m["person"]["email"] != staff["email"])
    assert all(not check(programme.rule, [m.role for m in t.members]).refused for t in programme.teams.values())


def _person(name: str, email: str) -> Person:
    return Person(email=email, name=name, language="et", subject_id=person_id_for(ORG, email))


async def test_an_applications_contact_is_exported_and_erased_and_the_application_keeps_its_shape(stores: Any) -> None:
    _, holder, _, applications = stores
    director, curator = _person("Kai Õunapuu", "kai@erm.example"), _person("Mart Kask", "mart@erm.example")
    guide = _person("Liis Tamm", "liis@erm.example")
    command = ApplyAsInstitution(
        edition_id=uuid.uuid4(),
        institution=Institution(institution_id="erm", name="Eesti Rahva Muuseum", kind="museum"),
        contacts=(Contact(person=director, role="juht"), Contact(person=curator, role="kuraator")), staff=(guide,),
        motivation=Motivation(text="Tahame jõuda uute külastajateni."))
    await applications.save(Application.receive(command, ORG, NOW), [])
    subject = director.subject_id

    exported = await holder.export(subject, ORG)
    staff_part = (await holder.export(guide.subject_id, ORG))["applications"]
    erased = await holder.erase(subject, ORG)
    again = await holder.erase(subject, ORG)
    kept = await applications.get(str(command.application_id))

    (part,) = exported["applications"]
    assert (part["institution"], part["status"], part["contact_roles"], part["staff"]) == (
        "Eesti Rahva Muuseum", "applied", ["juht"], False)
    assert part["person"]["email"] == "kai@erm.example" and part["motivation"] == "Tahame jõuda uute külastajateni."
    assert [(p["contact_roles"], p["staff"], "motivation" in p) for p in staff_part] == [([], True, False)]
    assert erased["application_people"] == 1 and again["application_people"] == 0
    assert kept is not None and kept.status == "applied"
    contacts = kept.applied.contacts
    assert [(c.person.name, str(c.person.email), c.role) for c in contacts] == [
        (ERASED_NAME, erased_address(subject), "juht"), ("Mart Kask", "mart@erm.example", "kuraator")]
    assert [p.name for p in kept.applied.staff] == ["Liis Tamm"]
    assert kept.applied.motivation.text == ERASED_NAME
