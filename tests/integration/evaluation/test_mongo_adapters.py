"""The evaluation adapters against the real Mongo-wire server: round trips, guards, and crash repair."""

import uuid
from collections.abc import AsyncIterator, Sequence
from datetime import UTC, datetime, timedelta

import pytest
from pymongo.asynchronous.database import AsyncDatabase

from koos_contracts import Envelope, homework, parse
from koos_contracts.evaluation import FeedbackRecorded, SurveyResultsUpdated
from koos_evaluation.adapters.answers import MongoAnswers
from koos_evaluation.adapters.homework import MongoHomework
from koos_evaluation.adapters.rounds import MongoRounds
from koos_evaluation.adapters.surveys import MongoSurveys
from koos_evaluation.config import Settings
from koos_evaluation.domain.programme_homework import ProgrammeHomework
from koos_evaluation.domain.survey import Survey
from koos_evaluation.service_layer.ports import Ports, StaleSurvey
from koos_kit.events import EventFactory
from koos_kit.mongo import MongoDocument, connect, database
from koos_kit.outbox import OUTBOX, OutboxRelay
from koos_kit.privacy import ERASED_NAME, erased_address
from koos_kit.versioned import StaleDocument, VersionedDocuments
from tests.fakes import FixedClock, RecordingReplies
from tests.unit.evaluation.course import Course, person_id
from tests.unit.evaluation.fakes import SimulatedCrash
from tests.unit.evaluation.test_jury_round import round_with

pytestmark = pytest.mark.integration


class CrashingSurveys(MongoSurveys):
    """The Mongo adapter with its relay's publisher at hand, dying once before a save when told to."""

    def __init__(self, db: AsyncDatabase[MongoDocument], publisher: RecordingReplies, clock: FixedClock) -> None:
        relay = OutboxRelay([db["surveys"]], publisher, clock, service="evaluation")
        super().__init__(db["surveys"], relay, clock)
        self.crash_next_save = False
        self.stored_events = publisher.envelopes

    async def save(self, survey: Survey, envelopes: Sequence[Envelope]) -> None:
        if self.crash_next_save:
            self.crash_next_save = False
            raise SimulatedCrash("before the survey was saved")
        await super().save(survey, envelopes)


@pytest.fixture
async def db(mongo_url: str) -> AsyncIterator[AsyncDatabase[MongoDocument]]:
    settings = Settings(mongo_url=mongo_url, mongo_database=f"test_evaluation_{uuid.uuid4().hex[:10]}")
    client = connect(settings)
    yield database(client, settings)
    await client.drop_database(settings.mongo_database)
    await client.close()


@pytest.fixture
async def ports(db: AsyncDatabase[MongoDocument]) -> Ports:
    clock, publisher = FixedClock(), RecordingReplies()
    surveys = CrashingSurveys(db, publisher, clock)
    answers = MongoAnswers(db["answers"])
    await surveys.ensure_indexes()
    await answers.ensure_indexes()
    return Ports(surveys, answers, publisher, clock, EventFactory("/koos/evaluation"), timedelta(days=14))


async def opened(course: Course, *numbers: int) -> None:
    await course.publish()
    for n in numbers:
        await course.confirm(n)
    await course.end_all_sessions()


async def test_a_survey_survives_the_round_trip_and_its_events_leave_the_outbox(
        ports: Ports, db: AsyncDatabase[MongoDocument]) -> None:
    course = Course(ports)
    await opened(course, 1, 2)
    await course.cancel(2)
    await course.submit(1, {"overall": 4, "methods": 5}, " Lærerikt ")

    survey = await ports.surveys.get(course.edition_id)
    assert survey is not None and survey.is_open and survey.roster.participants() == {person_id(1)}
    assert survey.roster.withdrew(person_id(2)) and survey.recorded == [person_id(1)]
    assert survey.results is not None and survey.results.quotes == ("Lærerikt",)
    assert survey.closes_at is not None and survey.closes_at.tzinfo is not None
    document = await db["surveys"].find_one({"_id": str(course.edition_id)})
    assert document is not None and OUTBOX not in document and document["organisation_id"] == "org-oslo"
    assert [e.type for e in ports.replies.envelopes][-2:] == [  # type: ignore[attr-defined]
        FeedbackRecorded.ce_type(), SurveyResultsUpdated.ce_type()]


async def test_a_save_from_a_stale_copy_is_refused(ports: Ports) -> None:
    course = Course(ports)
    await course.publish()
    first, second = await ports.surveys.get(course.edition_id), await ports.surveys.get(course.edition_id)
    assert first is not None and second is not None
    first.enrol(person_id(1), ports.clock.now())
    second.enrol(person_id(2), ports.clock.now())
    await ports.surveys.save(first, [])

    with pytest.raises(StaleSurvey):
        await ports.surveys.save(second, [])
    with pytest.raises(StaleSurvey):
        await ports.surveys.save(Survey(course.edition_id, "org-oslo"), [])


async def test_one_answer_per_person_and_edition_in_submission_order(ports: Ports) -> None:
    course = Course(ports)
    await opened(course, 1, 2, 3)
    for n in (3, 1, 2):
        await course.submit(n, {"overall": n, "methods": n})
    await course.submit(1, {"overall": 5, "methods": 5})

    answers = await ports.answers.of_edition(course.edition_id)
    assert [a.person_id for a in answers] == [person_id(3), person_id(1), person_id(2)]
    assert answers[1].ratings == {"overall": 1, "methods": 1}
    assert not await ports.answers.add(answers[0])


async def test_a_crash_between_the_two_writes_is_repaired_once_on_redelivery(
        ports: Ports, db: AsyncDatabase[MongoDocument]) -> None:
    course = Course(ports)
    await opened(course, 1, 2)
    await course.submit(1, {"overall": 2, "methods": 3})
    ports.surveys.crash_next_save = True  # type: ignore[attr-defined]
    with pytest.raises(SimulatedCrash):
        await course.submit(2, {"overall": 4, "methods": 5})

    await course.redeliver_last()
    await course.redeliver_last()

    assert await db["answers"].count_documents({"edition_id": str(course.edition_id)}) == 2
    published = [parse(e) for e in ports.replies.envelopes]  # type: ignore[attr-defined]
    recorded = [m.person_id for m in published if isinstance(m, FeedbackRecorded)]
    assert recorded == [person_id(1), person_id(2)]
    final = [m for m in published if isinstance(m, SurveyResultsUpdated)][-1]
    assert (final.responses, final.questions[0].mean, final.questions[1].mean) == (2, 3, 4)


async def test_a_contact_named_in_a_jury_round_is_exported_and_erased_and_the_round_keeps_its_work(
        db: AsyncDatabase[MongoDocument]) -> None:
    clock = FixedClock()
    relay = OutboxRelay([db["rounds"]], RecordingReplies(), clock, service="evaluation")
    rounds = MongoRounds(VersionedDocuments(db["rounds"], relay, clock))
    jury = round_with(applications=3)
    first = next(iter(jury.applications.values()))
    contact = first.contacts[0].person
    subject = "subject-of-kontakt-0"
    jury.applications[str(first.application_id)] = first.model_copy(update={"contacts": (
        first.contacts[0].model_copy(update={"person": contact.model_copy(update={"subject_id": subject})}),)})
    await rounds.save(jury, [])

    exported = await rounds.naming(jury.organisation_id, subject)
    elsewhere = await rounds.naming("another-organisation", subject)
    erased = await rounds.anonymise(jury.organisation_id, subject)
    again = await rounds.anonymise(jury.organisation_id, subject)
    kept = await rounds.get(jury.edition_id)

    assert [(e["as"], e["person"]["email"]) for e in exported] == [
        (f"applications.{first.application_id}.contacts.0.person", str(contact.email))]
    assert elsewhere == [] and (erased, again) == (1, 0)
    assert kept is not None and kept.assignment == jury.assignment
    assert list(kept.applications) == list(jury.applications)
    person = kept.applications[str(first.application_id)].contacts[0].person
    assert (person.name, str(person.email)) == (ERASED_NAME, erased_address(subject))
    others = [a.contacts[0].person.name for k, a in kept.applications.items() if k != str(first.application_id)]
    assert others == ["Kontakt 1", "Kontakt 2"]


async def test_a_programmes_homework_survives_the_round_trip_with_every_version(
        db: AsyncDatabase[MongoDocument]) -> None:
    clock, publisher = FixedClock(), RecordingReplies()
    relay = OutboxRelay([db["homework"]], publisher, clock, service="evaluation")
    store = MongoHomework(VersionedDocuments(db["homework"], relay, clock))
    await store.ensure_indexes()
    team, due, key = uuid.uuid4(), datetime(2016, 3, 22, 22, tzinfo=UTC), "expert-interviews"
    programme = ProgrammeHomework("p2016", "sev")
    programme.team_accepted(str(team), ("p10", "p11"))
    programme.set(homework.SetHomework(programme_id=uuid.uuid4(), homework_key=key, due_at=due,
                                       title={"et": "Ekspertintervjuud", "en": "Expert interviews"}))
    link = homework.Attachment(name="notes", link="https://drive.example.org/notes")
    submitted = programme.submit(homework.SubmitHomework(
        programme_id=uuid.uuid4(), homework_key=key, team_id=team, person_id="p10", text="Notes of four interviews",
        attachments=(link,)), due + timedelta(hours=1))
    await store.save(programme, [])

    kept = await store.get("p2016")
    stale = await store.get("p2016")
    assert kept is not None and stale is not None
    kept.team_accepted("t9", ("p90",))
    await store.save(kept, [])

    assert isinstance(submitted, homework.HomeworkSubmitted) and submitted.late
    assert kept.grid() == {str(team): {key: "late"}, "t9": {key: "not_started"}}
    (version,) = kept.assignments[key].work[str(team)].versions
    assert (version.text, version.late, version.attachments[0].link) == (
        "Notes of four interviews", True, "https://drive.example.org/notes")
    assert kept.assignments[key].title == {"et": "Ekspertintervjuud", "en": "Expert interviews"}
    assert kept.teams == {str(team): ("p10", "p11"), "t9": ("p90",)}
    with pytest.raises(StaleDocument):
        await store.save(stale, [])
