"""The evaluation service as a process, fed real CloudEvents on Kafka, announcing surveys and results."""

import json
from collections import Counter
from datetime import UTC, datetime
from random import Random
from statistics import mean
from typing import Any
from uuid import uuid4

import pytest
from pymongo import AsyncMongoClient

from koos_contracts import Envelope, parse, to_record, wrap
from koos_contracts.evaluation import (
    FeedbackRecorded,
    FeedbackRefused,
    SubmitFeedback,
    SurveyOpened,
    SurveyResultsUpdated,
)
from koos_contracts.registration import RegistrationCancelled, RegistrationConfirmed, RegistrationPromoted
from koos_contracts.scheduling import SessionEnded
from koos_contracts.topics import EVALUATION_COMMANDS, SURVEYS
from koos_contracts.values import Participant
from koos_evaluation.domain import eligibility
from tests.builders import open_course, person, published
from tests.fixtures.kafka import KafkaProbe, eventually, of_type
from tests.fixtures.services import Namespace, ServiceFactory
from tests.unit.evaluation.course import ORG, person_id

pytestmark = pytest.mark.integration

CONFIRMED, PROMOTED, CANCELLED, STRANGER = (1, 2, 3, 4, 5, 6), 7, 3, 99


def participant(n: int) -> Participant:
    return Participant(person_id=person_id(n), **person(n).model_dump())


async def run_course(probe: KafkaProbe, edition_id: Any) -> None:
    """Registration's facts, as registration would publish them."""
    for n in CONFIRMED:
        await probe.send(RegistrationConfirmed(registration_id=uuid4(), edition_id=edition_id,
                                               participant=participant(n), confirmed_at=datetime.now(UTC)))
    await probe.send(RegistrationCancelled(registration_id=uuid4(), edition_id=edition_id,
                                           person_id=person_id(CANCELLED), previous_status="confirmed",
                                           cancelled_at=datetime.now(UTC)))
    await probe.send(RegistrationPromoted(registration_id=uuid4(), edition_id=edition_id,
                                          participant=participant(PROMOTED), promoted_at=datetime.now(UTC)))


async def end_sessions(probe: KafkaProbe, edition_id: Any) -> None:
    for index, session_id in enumerate(("s1", "s2", "s3"), start=1):
        await probe.send(SessionEnded(edition_id=edition_id, session_id=session_id, ended_at=datetime.now(UTC),
                                      last_of_edition=index == 3))


async def roster_size(mongo_url: str, namespace: Namespace, edition_id: Any) -> int:
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(mongo_url, tz_aware=True)
    try:
        survey = await client[namespace.database("evaluation")]["surveys"].find_one({"_id": str(edition_id)})
    finally:
        await client.close()
    return len(survey["roster"]) if survey else 0


async def roster_complete(mongo_url: str, namespace: Namespace, edition_id: Any) -> bool:
    return await roster_size(mongo_url, namespace, edition_id) == len(CONFIRMED) + 1


def final_results(envelopes: list[Envelope]) -> SurveyResultsUpdated:
    results = [SurveyResultsUpdated.model_validate(e.data) for e in of_type(envelopes, SurveyResultsUpdated)]
    return max(results, key=lambda r: r.responses)


async def test_a_course_ends_its_participants_answer_and_the_results_add_up(
        services: ServiceFactory, kafka_probe: KafkaProbe, mongo_url: str, namespace: Namespace) -> None:
    services("evaluation").start()
    plan = open_course()
    await kafka_probe.send(published(plan))
    await run_course(kafka_probe, plan.edition_id)
    await eventually(lambda: roster_complete(mongo_url, namespace, plan.edition_id))
    await end_sessions(kafka_probe, plan.edition_id)

    opened = await kafka_probe.envelopes(SURVEYS, lambda es: bool(of_type(es, SurveyOpened)))
    (survey_opened,) = [parse(e) for e in of_type(opened, SurveyOpened)]
    assert [q.key for q in survey_opened.questions] == ["overall", "methods"]  # type: ignore[attr-defined]

    rng = Random(6)
    answering = (1, 2, 4, 6, PROMOTED)
    given = {n: {"overall": rng.randint(1, 5), "methods": rng.randint(1, 5)} for n in answering}
    comments = {1: "Jeg likte å jobbe på tvers av enheter.", 4: "   ", 6: " Innsiktsfasen betyr mye. "}
    for n in answering:
        await kafka_probe.send(SubmitFeedback(edition_id=plan.edition_id, person_id=person_id(n),
                                              ratings=given[n], comment=comments.get(n)))
    for n in (1, CANCELLED, STRANGER):
        await kafka_probe.send(SubmitFeedback(edition_id=plan.edition_id, person_id=person_id(n),
                                              ratings={"overall": 1, "methods": 1}))
    await kafka_probe.send(SubmitFeedback(edition_id=plan.edition_id, person_id=person_id(2),
                                          ratings={"overall": 1, "methods": 1}), organisation_id="org-helsinki")

    envelopes = await kafka_probe.envelopes(SURVEYS, lambda es: len(of_type(es, FeedbackRefused)) >= 4
                                            and final_results(es).responses == len(answering))
    results = final_results(envelopes)
    assert (results.invited, results.responses) == (6, 5)
    assert results.response_rate == pytest.approx(5 / 6)
    for question in results.questions:
        ratings = [given[n][question.key] for n in answering]
        assert question.mean == pytest.approx(mean(ratings))
        assert question.distribution == {str(g): Counter(ratings)[g] for g in range(1, 6)}
    assert results.quotes == ("Jeg likte å jobbe på tvers av enheter.", "Innsiktsfasen betyr mye.")
    assert {parse(e).person_id for e in of_type(envelopes, FeedbackRecorded)} == {  # type: ignore[attr-defined]
        person_id(n) for n in answering}
    assert sorted(parse(e).reason for e in of_type(envelopes, FeedbackRefused)) == sorted(  # type: ignore[attr-defined]
        [eligibility.ANSWERED_ALREADY, eligibility.CANCELLED, eligibility.NOT_A_PARTICIPANT, eligibility.NO_SURVEY])
    assert {e.organisationid for e in of_type(envelopes, SurveyResultsUpdated)} == {ORG}


async def test_a_malformed_answer_goes_to_the_dead_letter_queue(
        services: ServiceFactory, kafka_probe: KafkaProbe) -> None:
    services("evaluation").start()
    command = SubmitFeedback(edition_id=uuid4(), person_id=person_id(1), ratings={"overall": 4})
    key, _, headers = to_record(wrap(command, source="/tests/partner", organisation_id=ORG))
    out_of_scale = json.dumps({"edition_id": str(command.edition_id), "person_id": "p", "ratings": {"overall": 7}})
    await kafka_probe.send_raw(EVALUATION_COMMANDS, out_of_scale.encode(), key=key, headers=headers)

    (dead,) = await kafka_probe.records(EVALUATION_COMMANDS.dlq, lambda rs: len(rs) >= 1)
    reason = dict(dead.headers)["koos_dlq_reason"].decode()
    assert "SubmitFeedback.v1 does not match its schema: ratings.overall" in reason
    assert dead.value == out_of_scale.encode()
