"""The gateway's Mongo read models on the Mongo-wire server: each event applies once, the newest state wins."""

from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import pytest
from pymongo.asynchronous.database import AsyncDatabase

from koos_contracts.evaluation import SurveyResultsUpdated
from koos_gateway.adapters.api_keys import MongoApiKeys
from koos_gateway.adapters.commands import MongoCommandLog
from koos_gateway.adapters.editions import MongoEditions
from koos_gateway.adapters.registrations import MongoRegistrations
from koos_gateway.adapters.surveys import MongoSurveyResults
from koos_gateway.config import Settings
from koos_gateway.domain.api_keys import ApiKey, fingerprint, new_secret
from koos_gateway.domain.commands import CommandRecord, Outcome
from koos_gateway.domain.editions import SeatCount
from koos_gateway.domain.registrations import Contact, RegistrationChange
from koos_gateway.domain.surveys import SurveyResultsView
from koos_gateway.service_layer.projections import edition_view
from koos_kit.mongo import connect, database
from tests.builders import LIBRARY, open_course, published

pytestmark = pytest.mark.integration

NOW = datetime(2030, 5, 2, 8, 0, tzinfo=UTC)
CONTACT = Contact("Åse Ødegård", "ase@kommune.example", "nb")


@pytest.fixture
async def db(mongo_url: str) -> AsyncIterator[AsyncDatabase[dict[str, Any]]]:
    settings = Settings(mongo_url=mongo_url, mongo_database=f"gateway_rm_{uuid4().hex[:10]}")
    client = connect(settings)
    yield database(client, settings)
    await client.drop_database(settings.mongo_database)
    await client.close()


async def test_a_reschedule_delivered_twice_counts_once_and_a_republication_changes_nothing(
        db: AsyncDatabase[dict[str, Any]]) -> None:
    editions = MongoEditions(db["editions"])
    await editions.ensure_indexes()
    view = edition_view(published(open_course()), "oslo")
    await editions.add(view, "published-1")
    moved = NOW + timedelta(days=40)

    for _ in range(2):
        await editions.reschedule(view.edition_id, "s2", moved, moved + timedelta(hours=3), LIBRARY, "moved-1")
    await editions.cancel_session(view.edition_id, "s3", "stengt", "cancelled-1")
    await editions.add(view, "published-1")

    stored = await editions.get(view.edition_id)
    assert stored is not None
    s1, s2, s3 = stored.sessions
    assert (s1.revision, s2.revision, s3.revision) == (0, 1, 1)
    assert s2.starts_at == moved and s2.venue == LIBRARY and s1.starts_at == view.sessions[0].starts_at
    assert (s3.status, s3.cancel_reason) == ("cancelled", "stengt")
    assert stored.feedback_questions == view.feedback_questions and stored.starts_on == view.starts_on


async def test_editions_are_listed_per_organisation_latest_first(db: AsyncDatabase[dict[str, Any]]) -> None:
    editions = MongoEditions(db["editions"])
    early, late = open_course(), open_course(first_day=(NOW + timedelta(days=90)).date())
    for plan, organisation in ((early, "oslo"), (late, "oslo"), (open_course(), "bergen")):
        await editions.add(edition_view(published(plan), organisation), str(uuid4()))

    listed = await editions.of_organisation("oslo", limit=10, offset=0)

    assert [e.edition_id for e in listed] == [str(late.edition_id), str(early.edition_id)]


def change(status: str, at: datetime, **more: Any) -> RegistrationChange:
    return RegistrationChange("reg-1", "edition-1", "oslo", "person-1", status, at, **more)  # type: ignore[arg-type]


async def test_the_newest_registration_event_wins_whatever_the_arrival_order(
        db: AsyncDatabase[dict[str, Any]]) -> None:
    registrations = MongoRegistrations(db["registrations"])
    await registrations.ensure_indexes()

    await registrations.apply_all([change("waiting", NOW, contact=CONTACT, queue_number=3)])
    await registrations.apply_all([change("cancelled", NOW + timedelta(minutes=2)),
                                   change("confirmed", NOW + timedelta(minutes=1), contact=CONTACT)])
    await registrations.apply_all([change("waiting", NOW, contact=CONTACT, queue_number=3)])

    stored = await registrations.get("reg-1")
    assert stored is not None
    assert stored.status == "cancelled" and stored.contact == CONTACT
    assert stored.occurred_at == NOW + timedelta(minutes=2)


async def test_a_batch_of_events_is_one_write_and_each_registration_ends_as_its_newest_event_says(
        db: AsyncDatabase[dict[str, Any]]) -> None:
    registrations = MongoRegistrations(db["registrations"])
    await registrations.apply_all([change("waiting", NOW, contact=CONTACT, queue_number=3),
                                   change("confirmed", NOW + timedelta(seconds=1)),
                                   replace(change("waiting", NOW, queue_number=4), registration_id="reg-2")])

    first, second = await registrations.get("reg-1"), await registrations.get("reg-2")
    assert first is not None and (first.status, first.contact) == ("confirmed", CONTACT)
    assert second is not None and (second.status, second.queue_number) == ("waiting", 4)


async def test_waiting_positions_come_from_the_stored_states(db: AsyncDatabase[dict[str, Any]]) -> None:
    registrations = MongoRegistrations(db["registrations"])
    await registrations.apply_all([
        replace(change(status, NOW, queue_number=queue), registration_id=f"r{n}", person_id=f"p{n}")
        for n, (status, queue) in enumerate([("confirmed", None), ("waiting", 5), ("waiting", 2),
                                             ("cancelled", None)])])

    assert await registrations.waiting_ahead("edition-1", 5) == 1
    assert {r.registration_id for r in await registrations.active_of_edition("edition-1")} == {"r0", "r1", "r2"}
    assert [r.registration_id for r in await registrations.of_person("oslo", "p2")] == ["r2"]


async def test_the_first_outcome_of_a_command_wins(db: AsyncDatabase[dict[str, Any]]) -> None:
    commands = MongoCommandLog(db["commands"])
    await commands.accepted(CommandRecord("cmd-1", "oslo", "PublishEdition", "pending", "kari", "/v1/editions/e",
                                          NOW))
    assert (await commands.get("cmd-1")).status == "pending"  # type: ignore[union-attr]

    await commands.settle_all([Outcome("cmd-1", "oslo", "succeeded", "EditionPublished", NOW)])
    await commands.settle_all([Outcome("cmd-1", "oslo", "refused", "EditionPublicationRefused", NOW, "late"),
                               Outcome("from-a-partner", "bergen", "refused", "RegistrationRefused", NOW, "closed")])
    await commands.close()

    ours, partners = await commands.get("cmd-1"), await commands.get("from-a-partner")
    assert ours is not None and (ours.status, ours.kind, ours.resource) == ("succeeded", "PublishEdition",
                                                                            "/v1/editions/e")
    assert partners is not None and (partners.organisation_id, partners.reason) == ("bergen", "closed")
    assert await commands.forget_before(NOW + timedelta(seconds=1)) == 2


async def test_an_outcome_that_arrives_before_its_command_is_written_still_wins(
        db: AsyncDatabase[dict[str, Any]]) -> None:
    commands = MongoCommandLog(db["commands"], flush_after_seconds=0.2)
    await commands.accepted(CommandRecord("cmd-2", "oslo", "RegisterParticipant", "pending", "p-1", "/v1/r/1", NOW))
    await commands.settle_all([Outcome("cmd-2", "oslo", "succeeded", "RegistrationConfirmed", NOW)])
    await commands.close()

    stored = await commands.get("cmd-2")
    assert stored is not None and (stored.status, stored.issued_by) == ("succeeded", "p-1")


async def test_the_newest_count_of_seats_wins(db: AsyncDatabase[dict[str, Any]]) -> None:
    editions = MongoEditions(db["editions"])
    plan = open_course()
    await editions.add(edition_view(published(plan), "oslo"), str(uuid4()))

    await editions.count_seats(str(plan.edition_id), SeatCount(taken=30, in_line=4, sequence=7))
    await editions.count_seats(str(plan.edition_id), SeatCount(taken=29, in_line=0, sequence=6))

    stored = await editions.get(str(plan.edition_id))
    assert stored is not None and (stored.seats_left(), stored.in_line()) == (0, 4)


async def test_a_count_of_seats_that_comes_before_its_edition_is_kept_for_it(
        db: AsyncDatabase[dict[str, Any]]) -> None:
    editions = MongoEditions(db["editions"])
    plan = open_course()
    await editions.count_seats(str(plan.edition_id), SeatCount(taken=0, in_line=0, sequence=0))
    assert await editions.get(str(plan.edition_id)) is None

    await editions.add(edition_view(published(plan), "oslo"), str(uuid4()))
    await editions.add(edition_view(published(plan), "oslo"), str(uuid4()))

    stored = await editions.get(str(plan.edition_id))
    assert stored is not None and stored.seats == SeatCount(0, 0, 0)


async def test_survey_results_are_replaced_only_by_newer_ones(db: AsyncDatabase[dict[str, Any]]) -> None:
    surveys = MongoSurveyResults(db["survey_results"], db["survey_forms"])
    edition_id = uuid4()

    def results(responses: int) -> SurveyResultsUpdated:
        return SurveyResultsUpdated(edition_id=edition_id, invited=10, responses=responses,
                                    response_rate=responses / 10, questions=(), quotes=("Nyttig",))

    await surveys.save(SurveyResultsView("oslo", results(4), NOW))
    await surveys.save(SurveyResultsView("oslo", results(3), NOW - timedelta(minutes=1)))

    stored = await surveys.latest(str(edition_id))
    assert stored is not None and stored.results.responses == 4


async def test_an_api_key_is_found_by_its_secret_until_revoked(db: AsyncDatabase[dict[str, Any]]) -> None:
    keys = MongoApiKeys(db["api_keys"])
    await keys.ensure_indexes()
    secret = new_secret()
    await keys.add(ApiKey("k1", "oslo", "HR system", NOW, "operator-1"), fingerprint(secret))

    found = await keys.active_by_fingerprint(fingerprint(secret))
    await keys.revoke("k1", NOW)

    assert found is not None and found.organisation_id == "oslo"
    assert await keys.active_by_fingerprint(fingerprint(secret)) is None
    assert secret not in str(await db["api_keys"].find_one({"_id": "k1"}))
    assert [k.key_id for k in await keys.listed("oslo")] == ["k1"] and await keys.listed("bergen") == []
