"""A retention run purges exactly the personal data past its period, in every service's store, and nothing else.

Each service's store is seeded on the real Mongo-wire server with data on both sides of the boundary (and an
organisation with a longer period of its own); the service's retention job runs once at a fixed time; then every
document of every collection is compared with what it was before.
"""

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from prometheus_client import REGISTRY
from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase

from koos_cli import programme_2016 as p2016
from koos_contracts.applications import ApplyAsInstitution, Contact, Institution, Motivation
from koos_contracts.homework import SetHomework, SubmitHomework
from koos_contracts.teams import ApplyWithTeam, DefineTeamProgramme
from koos_contracts.values import ERASED_NAME, erased_address, is_erased_address
from koos_evaluation.adapters.homework import MongoHomework
from koos_evaluation.adapters.retention import EvaluationRetention
from koos_evaluation.domain.programme_homework import ProgrammeHomework
from koos_gateway.adapters.audit import MongoAuditLog
from koos_gateway.adapters.retention import GatewayRetention
from koos_gateway.domain.audit import access_entry
from koos_kit.events import EventFactory
from koos_kit.outbox import OutboxRelay
from koos_kit.replies import CommandReplies
from koos_kit.retention import Purge, RetentionJob, RetentionPolicy
from koos_kit.versioned import VersionedDocuments
from koos_notifications.adapters.retention import NotificationRetention
from koos_registration.adapters.applications import MongoApplications
from koos_registration.adapters.book import MongoBook
from koos_registration.adapters.retention import RegistrationRetention
from koos_registration.adapters.team_programmes import MongoTeamProgrammes
from koos_registration.domain.application import Application
from koos_registration.service_layer import teams
from koos_registration.service_layer.handlers import Ports
from koos_registration.service_layer.teams import TeamPorts
from tests.behaviour.registration_rules import NOW as SIGN_UP
from tests.behaviour.registration_rules import Registrar
from tests.builders import person
from tests.fakes import FixedClock, RecordingPublisher, RecordingReplies, envelope_for

pytestmark = pytest.mark.integration

Document = dict[str, Any]
RUN = datetime(2030, 1, 15, 3, 0, tzinfo=UTC)
LONGER = "org-bergen"
POLICY = RetentionPolicy({LONGER: {"registrations": 1000, "mail": 365, "feedback_comments": 800, "audit": 1000,
                                   "teams": 1000, "applications": 1000}})
GONE = object()


def ago(days: float) -> datetime:
    return RUN - timedelta(days=days)


@pytest.fixture
async def db(mongo_url: str) -> AsyncIterator[AsyncDatabase[Document]]:
    client: AsyncMongoClient[Document] = AsyncMongoClient(mongo_url, tz_aware=True, uuidRepresentation="standard")
    database = client[f"retention_{uuid.uuid4().hex[:10]}"]
    yield database
    await client.drop_database(database.name)
    await client.close()


async def snapshot(db: AsyncDatabase[Document]) -> dict[tuple[str, str], Document]:
    found: dict[tuple[str, str], Document] = {}
    for name in await db.list_collection_names():
        async for document in db[name].find():
            found[(name, str(document["_id"]))] = document
    return found


def changes(before: dict[tuple[str, str], Document], after: dict[tuple[str, str], Document]) -> dict[
        tuple[str, str], dict[str, tuple[Any, Any]]]:
    """Per document, the fields (two levels deep) that changed, with their values before and after."""
    assert set(before) == set(after), "a retention run anonymises; here it deletes nothing"
    found = {}
    for key in before:
        old, new = _flat(before[key]), _flat(after[key])
        changed = {path: (old.get(path, GONE), new.get(path, GONE)) for path in old.keys() | new.keys()
                   if old.get(path, GONE) != new.get(path, GONE)}
        if changed:
            found[key] = changed
    return found


def _flat(document: Document) -> Document:
    flat: Document = {}
    for name, value in document.items():
        if isinstance(value, dict) and value:
            flat.update({f"{name}.{inner}": v for inner, v in value.items()})
        else:
            flat[name] = value
    return flat


def purged(service: str, kind: str) -> float:
    return REGISTRY.get_sample_value("koos_retention_purged_total", {"service": service, "kind": kind}) or 0.0


async def test_registrations_lose_their_people_two_years_after_the_edition_ends_and_the_seats_stay(
        db: AsyncDatabase[Document]) -> None:
    publisher, clock = RecordingPublisher(), FixedClock(SIGN_UP)
    book = MongoBook(db.offers, db.registrations, db.line, publisher)
    replies = CommandReplies(db.replies, OutboxRelay([db.replies], publisher, clock, service="test"), clock)
    registrar = Registrar(Ports(book, replies, clock, EventFactory("/t")), publisher, clock, None)
    old = await registrar.offer(2, ends_at=ago(731))
    recent = await registrar.offer(2, ends_at=ago(729))
    longer = await registrar.offer(2, organisation=LONGER, ends_at=ago(900))
    for edition, organisation in ((old, "org-oslo"), (recent, "org-oslo"), (longer, LONGER)):
        await registrar.batch(*(registrar.register(edition, n, organisation=organisation) for n in range(3)))
    before = await snapshot(db)
    counted = purged("registration", "registrations")

    job = RetentionJob("registration", POLICY, FixedClock(RUN), registration_retention(db))
    assert await job.run_once() == {"registrations": 3, "team_programmes": 0, "applications": 0}

    changed = changes(before, await snapshot(db))
    people = {key for key, document in before.items() if key[0] == "registrations" and
              document["edition_id"] == str(old)}
    assert set(changed) == people | {("offers", str(old))}
    for key in people:
        assert set(changed[key]) == {"participant.email", "participant.name", "anonymised_at"}
        assert changed[key]["participant.email"][1] == changed[key]["participant.name"][1] == ""
    assert set(changed[("offers", str(old))]) == {"pending.registrations", "pending.joined", "events", "anonymised_at"}
    fresh = await MongoBook(db.offers, db.registrations, db.line, publisher).offer(str(old))
    assert fresh is not None and (fresh.taken, fresh.in_line) == (2, 1)
    assert purged("registration", "registrations") == counted + 3
    assert await job.run_once() == {"registrations": 0, "team_programmes": 0, "applications": 0}


def registration_retention(db: AsyncDatabase[Document]) -> list[Purge]:
    return RegistrationRetention(db.offers, db.registrations, db.team_programmes, db.applications).purges()


async def _programme_and_application(db: AsyncDatabase[Document], moment: datetime, organisation: str,
                                     n: int) -> tuple[str, str]:
    """A team programme with one team and an institution's application, last changed at `moment`."""
    clock, publisher = FixedClock(moment), RecordingPublisher()
    relay = OutboxRelay([db.team_programmes, db.applications], publisher, clock, service="test")
    ports = TeamPorts(programmes=MongoTeamProgrammes(db.team_programmes, relay, clock), replies=RecordingReplies(),
                      factory=EventFactory("/t"))
    define = DefineTeamProgramme(programme_id=uuid.uuid4(), title={"en": "Co-creation"}, timezone="Europe/Tallinn",
                                 places=6, rule=p2016.RULE)
    await teams.define_programme(define, envelope_for(define, organisation), ports)
    apply = ApplyWithTeam.model_validate({"programme_id": define.programme_id, "team_id": uuid.uuid4(),
                                          **p2016.application(n, p2016.full_team(n))})
    await teams.apply_with_team(apply, envelope_for(apply, organisation), ports)
    institution = ApplyAsInstitution(
        edition_id=uuid.uuid4(), institution=Institution(institution_id=f"museum-{n}", name=f"Museum {n}",
                                                         kind="museum"),
        contacts=(Contact(person=person(n), role="director"),), staff=(person(n + 100),),
        motivation=Motivation(text=f"Museum {n} wants new visitors"))
    await MongoApplications(VersionedDocuments(db.applications, relay, clock)).save(
        Application.receive(institution, organisation, moment), [])
    return str(define.programme_id), str(institution.application_id)


async def test_teams_and_applications_lose_their_people_two_years_after_their_last_change(
        db: AsyncDatabase[Document]) -> None:
    old = await _programme_and_application(db, ago(731), "org-oslo", 1)
    await _programme_and_application(db, ago(729), "org-oslo", 2)
    await _programme_and_application(db, ago(900), LONGER, 3)
    before = await snapshot(db)
    counted = purged("registration", "teams")

    job = RetentionJob("registration", POLICY, FixedClock(RUN), registration_retention(db))
    assert await job.run_once() == {"registrations": 0, "team_programmes": 5, "applications": 2}

    after = await snapshot(db)
    changed = changes(before, after)
    programme, application = ("team_programmes", old[0]), ("applications", old[1])
    assert {key: set(fields) for key, fields in changed.items()} == {
        programme: {"teams", "_version"},
        application: {"applied.contacts", "applied.staff", "applied.motivation", "_version"}}
    (team,) = after[programme]["teams"]
    assert {m["participant"]["name"] for m in team["members"]} == {ERASED_NAME}
    assert [m["role"] for m in team["members"]] == [m["role"] for m in before[programme]["teams"][0]["members"]]
    assert all(is_erased_address(m["participant"]["email"]) for m in team["members"])
    applied = after[application]["applied"]
    assert [c["person"]["name"] for c in applied["contacts"]] + [s["name"] for s in applied["staff"]] == [
        ERASED_NAME, ERASED_NAME]
    assert applied["motivation"]["text"] == ERASED_NAME and after[application]["status"] == "applied"
    assert purged("registration", "teams") == counted + 5
    assert await job.run_once() == {"registrations": 0, "team_programmes": 0, "applications": 0}


def _mail(n: int, organisation: str, status: str, moment: datetime | None) -> Document:
    recipient = person(n)
    document: Document = {
        "_id": f"mail-{n}", "kind": "registration_confirmed", "edition_id": "e1", "registration_id": f"r{n}",
        "organisation_id": organisation, "status": status, "due_at": moment or RUN, "attempts": 1,
        "recipient": {"person_id": f"p{n}", "email": recipient.email, "name": recipient.name, "language": "nb"},
        "details": {"session_title": "Innsiktsfasen"}, "cause": {"event_id": f"ev{n}", "correlation_id": "c"},
        "deliveries": [{"at": moment, "outcome": status}]}
    if status in ("sent", "failed") and moment is not None:
        document[f"{status}_at"] = moment
    return document


async def test_mails_lose_address_and_contents_after_90_days_and_participants_after_their_edition(
        db: AsyncDatabase[Document]) -> None:
    await db.notifications.insert_many([
        _mail(1, "org-oslo", "sent", ago(91)), _mail(2, "org-oslo", "sent", ago(89)),
        _mail(3, "org-oslo", "failed", ago(120)), _mail(4, "org-oslo", "cancelled", ago(100)),
        _mail(5, "org-oslo", "pending", ago(200)), _mail(6, LONGER, "sent", ago(200)),
        _mail(7, LONGER, "sent", ago(400))])
    await db.editions.insert_many([
        {"_id": "old", "organisation_id": "org-oslo", "sessions": [{"ends_at": ago(800)}, {"ends_at": ago(731)}]},
        {"_id": "recent", "organisation_id": "org-oslo", "sessions": [{"ends_at": ago(800)}, {"ends_at": ago(700)}]}])
    await db.participants.insert_many([
        {"_id": f"r{n}", "edition_id": edition, "organisation_id": "org-oslo", "status": "confirmed",
         "recipient": {"person_id": f"p{n}", "email": person(n).email, "name": person(n).name, "language": "nb"}}
        for n, edition in ((1, "old"), (2, "old"), (3, "recent"))])
    before = await snapshot(db)

    job = RetentionJob("notifications", POLICY, FixedClock(RUN), NotificationRetention(
        db.notifications, db.participants, db.editions).purges())
    assert await job.run_once() == {"mails": 4, "participants": 2}

    changed = changes(before, await snapshot(db))
    forgotten = {"recipient.email", "recipient.name", "anonymised_at"}
    assert {key: set(fields) for key, fields in changed.items()} == {
        **{("notifications", f"mail-{n}"): forgotten | {"details", "details.session_title"} for n in (1, 3, 4, 7)},
        **{("participants", f"r{n}"): forgotten for n in (1, 2)},
        ("editions", "old"): {"participants_anonymised_at"}}
    assert await job.run_once() == {"mails": 0, "participants": 0}


async def test_comments_go_a_year_after_the_survey_closed_and_the_ratings_and_means_stay(
        db: AsyncDatabase[Document]) -> None:
    results = {"invited": 3, "responses": 2, "response_rate": 0.67, "quotes": ["Vi jobbet på tvers av enheter"],
               "questions": [{"key": "overall", "responses": 2, "mean": 4.5, "distribution": {"4": 1, "5": 1}}]}
    await db.surveys.insert_many([
        {"_id": "closed-long-ago", "organisation_id": "org-oslo", "closes_at": ago(366), "results": results},
        {"_id": "closed-lately", "organisation_id": "org-oslo", "closes_at": ago(364), "results": results},
        {"_id": "longer", "organisation_id": LONGER, "closes_at": ago(700), "results": results},
        {"_id": "never-answered", "organisation_id": "org-oslo", "closes_at": ago(500), "results": None}])
    await db.answers.insert_many([
        {"_id": f"{survey}:{n}", "edition_id": survey, "organisation_id": "org-oslo", "person_id": f"p{n}",
         "ratings": {"overall": 4 + n}, "comment": f"Innsikt {n}" if n else None, "submitted_at": ago(400)}
        for survey in ("closed-long-ago", "closed-lately", "longer") for n in (0, 1)])
    before = await snapshot(db)

    job = RetentionJob("evaluation", POLICY, FixedClock(RUN), EvaluationRetention(db.surveys, db.answers).purges())
    assert await job.run_once() == {"comments": 1}

    changed = changes(before, await snapshot(db))
    assert {key: set(fields) for key, fields in changed.items()} == {
        ("answers", "closed-long-ago:1"): {"comment", "comment_removed_at"},
        ("surveys", "closed-long-ago"): {"results.quotes", "comments_removed_at"},
        ("surveys", "never-answered"): {"comments_removed_at"}}
    assert changed[("answers", "closed-long-ago:1")]["comment"] == ("Innsikt 1", None)
    assert changed[("surveys", "closed-long-ago")]["results.quotes"][1] == []


async def test_the_gateway_forgets_contact_data_and_quotes_when_the_services_do(db: AsyncDatabase[Document]) -> None:
    await db.editions.insert_many([
        {"_id": "old", "organisation_id": "org-oslo", "sessions": [{"ends_at": ago(731)}]},
        {"_id": "recent", "organisation_id": "org-oslo", "sessions": [{"ends_at": ago(729)}]},
        {"_id": "longer", "organisation_id": LONGER, "sessions": [{"ends_at": ago(731)}]}])
    await db.registrations.insert_many([
        {"_id": f"r-{edition}", "edition_id": edition, "organisation_id": "org-oslo", "person_id": "p1",
         "status": "confirmed", "contact": {"name": person(1).name, "email": person(1).email, "language": "nb"}}
        for edition in ("old", "recent", "longer")])
    await db.survey_forms.insert_many([
        {"_id": edition, "organisation_id": "org-oslo", "opened": {"closes_at": moment.isoformat()}}
        for edition, moment in (("old", ago(366)), ("recent", ago(364)))])
    await db.survey_results.insert_many([
        {"_id": edition, "organisation_id": "org-oslo", "results": {"responses": 2, "quotes": ["Lærerikt"]}}
        for edition in ("old", "recent")])
    before = await snapshot(db)

    job = RetentionJob("gateway", POLICY, FixedClock(RUN), GatewayRetention(db).purges())
    assert await job.run_once() == {"registrations": 1, "quotes": 1, "audit": 0, "team_programmes": 0,
                                    "applications": 0, "juries": 0, "homework": 0}

    changed = changes(before, await snapshot(db))
    assert {key: set(fields) for key, fields in changed.items()} == {
        ("registrations", "r-old"): {"contact.email", "contact.name", "anonymised_at"},
        ("editions", "old"): {"retained_until"},
        ("survey_results", "old"): {"results.quotes"},
        ("survey_forms", "old"): {"retained_until"}}


async def test_audit_entries_are_deleted_two_years_after_they_were_recorded(db: AsyncDatabase[Document]) -> None:
    log = MongoAuditLog(db.audit)
    await log.record([access_entry(organisation, "staff", "kari", "roster.read", "r1", "p1", moment)
                      for organisation, moment in (("org-oslo", ago(731)), ("org-oslo", ago(729)),
                                                   (LONGER, ago(731)))])

    job = RetentionJob("gateway", POLICY, FixedClock(RUN), GatewayRetention(db).purges())
    assert await job.run_once() == {"registrations": 0, "quotes": 0, "audit": 1, "team_programmes": 0,
                                    "applications": 0, "juries": 0, "homework": 0}

    left = await log.of_organisation("org-oslo", 10, None) + await log.of_organisation(LONGER, 10, None)
    assert sorted((e.organisation_id, e.at) for e in left) == [(LONGER, ago(731)), ("org-oslo", ago(729))]


async def test_the_gateways_read_models_lose_the_people_they_name_two_years_after_their_last_change(
        db: AsyncDatabase[Document]) -> None:
    def contact(n: int) -> Document:
        return {"person": {"email": person(n).email, "name": person(n).name, "language": "nb",
                           "subject_id": f"s{n}"}, "role": "director"}

    await db.applications.insert_many([
        {"_id": f"a-{name}", "organisation_id": organisation, "_changed_at": moment, "status": "admitted",
         "contacts": [contact(n)], "motivation": {"text": f"Why {n}"}}
        for n, (name, organisation, moment) in enumerate((("old", "org-oslo", ago(731)),
                                                          ("recent", "org-oslo", ago(729)),
                                                          ("longer", LONGER, ago(900))))])
    await db.juries.insert_one({"_id": "e-old", "organisation_id": "org-oslo", "_changed_at": ago(800),
                                "release": {"results": [{"selected": True, "contacts": [contact(7)]}]}})
    before = await snapshot(db)

    job = RetentionJob("gateway", POLICY, FixedClock(RUN), GatewayRetention(db).purges())
    assert await job.run_once() == {"registrations": 0, "quotes": 0, "audit": 0, "team_programmes": 0,
                                    "applications": 1, "juries": 1, "homework": 0}

    after = await snapshot(db)
    assert {key: set(fields) for key, fields in changes(before, after).items()} == {
        ("applications", "a-old"): {"contacts", "motivation.text"}, ("juries", "e-old"): {"release.results"}}
    assert after[("applications", "a-old")]["contacts"][0] == {
        "person": {"email": erased_address("s0"), "name": ERASED_NAME, "language": "nb", "subject_id": "s0"},
        "role": "director"}


async def test_homework_loses_what_teams_wrote_two_years_after_its_last_change(db: AsyncDatabase[Document]) -> None:
    async def programme(name: str, moment: datetime) -> MongoHomework:
        clock = FixedClock(moment)
        store = MongoHomework(VersionedDocuments(db.homework, OutboxRelay([db.homework], RecordingPublisher(), clock,
                                                                          service="test"), clock))
        work = ProgrammeHomework(name, "org-oslo")
        work.team_accepted(str(uuid.UUID(int=1)), ("p1",))
        work.set(SetHomework(programme_id=uuid.uuid4(), homework_key="interviews", title={"en": "Interviews"},
                             due_at=moment))
        work.submit(SubmitHomework(programme_id=uuid.uuid4(), homework_key="interviews", team_id=uuid.UUID(int=1),
                                   person_id="p1", text="Our notes"), moment)
        await store.save(work, [])
        return store

    await programme("old", ago(731))
    store = await programme("recent", ago(729))
    before = await snapshot(db)

    job = RetentionJob("evaluation", POLICY, FixedClock(RUN),
                       EvaluationRetention(db.surveys, db.answers, homework=store).purges())
    assert await job.run_once() == {"comments": 0, "homework": 1}

    after = await snapshot(db)
    assert {key: set(fields) for key, fields in changes(before, after).items()} == {
        ("homework", "old"): {"assignments", "_version", "_changed_at"}}
    old = await store.get("old")
    recent = await store.get("recent")
    assert old is not None and recent is not None
    assert [v.text for w in old.assignments["interviews"].work.values() for v in w.versions] == [ERASED_NAME]
    assert [v.text for w in recent.assignments["interviews"].work.values() for v in w.versions] == ["Our notes"]
    assert old.grid() == recent.grid()
    assert await job.run_once() == {"comments": 0, "homework": 0}
