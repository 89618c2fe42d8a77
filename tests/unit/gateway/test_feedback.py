"""Feedback: participants answer through evaluation; organisers read the newest results of their edition."""

from datetime import UTC, datetime, timedelta
from uuid import UUID

from koos_contracts.evaluation import (
    FeedbackRecorded,
    FeedbackRefused,
    QuestionResult,
    SubmitFeedback,
    SurveyOpened,
    SurveyResultsUpdated,
)
from koos_contracts.identity import person_id_for
from tests.builders import person
from tests.unit.gateway.harness import OSLO, Gateway, event, staff


def results(edition_id: UUID, responses: int, quote: str) -> SurveyResultsUpdated:
    question = QuestionResult(key="overall", responses=responses, mean=4.5, distribution={"4": 1, "5": 1})
    return SurveyResultsUpdated(edition_id=edition_id, invited=4, responses=responses,
                                response_rate=responses / 4, questions=(question,), quotes=(quote,))


async def test_a_participants_answers_go_to_evaluation_under_their_person_id(gateway: Gateway) -> None:
    plan = await gateway.publish_edition()

    answer = await gateway.client.post(f"/v1/editions/{plan.edition_id}/feedback",
                                       json={"ratings": {"overall": 5, "methods": 4}, "comment": "Nyttig!"},
                                       headers=await gateway.participant(person(1), plan))

    assert answer.status_code == 202 and answer.json()["status"] == "pending"
    (command,) = gateway.sent(SubmitFeedback)
    assert command.data["person_id"] == person_id_for(OSLO, person(1).email)
    assert command.data["ratings"] == {"overall": 5, "methods": 4}


async def test_waiting_for_evaluation_shows_the_answers_recorded(gateway: Gateway) -> None:
    plan = await gateway.publish_edition()
    gateway.answer(lambda command: [FeedbackRecorded(edition_id=command.edition_id, person_id=command.person_id,
                                                     recorded_at=datetime.now(UTC))])

    answer = await gateway.client.post(f"/v1/editions/{plan.edition_id}/feedback", params={"wait": 2},
                                       json={"ratings": {"overall": 5}},
                                       headers=await gateway.participant(person(1), plan))

    assert answer.status_code == 201 and answer.json()["status"] == "recorded"


async def test_answers_evaluation_refuses_are_answered_422_with_its_reason(gateway: Gateway) -> None:
    plan = await gateway.publish_edition()
    gateway.answer(lambda command: [FeedbackRefused(edition_id=command.edition_id, person_id=command.person_id,
                                                    reason="you have answered this survey already")])

    answer = await gateway.client.post(f"/v1/editions/{plan.edition_id}/feedback", params={"wait": 2},
                                       json={"ratings": {"overall": 5}},
                                       headers=await gateway.participant(person(1), plan))

    assert answer.status_code == 422
    assert answer.json()["error"] == {"code": "feedback_refused", "reason": "you have answered this survey already",
                                      "details": []}


async def test_ratings_outside_one_to_five_are_refused_before_anything_is_sent(gateway: Gateway) -> None:
    plan = await gateway.publish_edition()

    answer = await gateway.client.post(f"/v1/editions/{plan.edition_id}/feedback", json={"ratings": {"overall": 6}},
                                       headers=await gateway.participant(person(1), plan))

    assert answer.status_code == 422
    assert answer.json()["error"]["details"][0]["field"] == "body.ratings.overall"
    assert gateway.bus.sent == []


async def test_staff_may_not_answer_a_survey(gateway: Gateway) -> None:
    plan = await gateway.publish_edition()

    answer = await gateway.client.post(f"/v1/editions/{plan.edition_id}/feedback", json={"ratings": {"overall": 5}},
                                       headers=staff())

    assert answer.status_code == 403


async def test_results_are_404_until_evaluation_reports_some(gateway: Gateway) -> None:
    plan = await gateway.publish_edition()

    answer = await gateway.client.get(f"/v1/editions/{plan.edition_id}/feedback", headers=staff())

    assert answer.status_code == 404
    assert answer.json()["error"]["reason"] == "no feedback results for this edition yet"


async def test_organisers_see_the_newest_results_even_if_an_older_report_arrives_late(gateway: Gateway) -> None:
    plan = await gateway.publish_edition()
    now = datetime.now(UTC)
    await gateway.deliver(event(results(plan.edition_id, 2, "Jeg lærte hvor viktig innsiktsfasen er."), at=now))
    await gateway.deliver(event(results(plan.edition_id, 1, "older"), at=now - timedelta(minutes=5)))

    answer = (await gateway.client.get(f"/v1/editions/{plan.edition_id}/feedback", headers=staff())).json()

    assert answer["responses"] == 2 and answer["response_rate"] == 0.5
    assert answer["questions"][0]["mean"] == 4.5
    assert answer["quotes"] == ["Jeg lærte hvor viktig innsiktsfasen er."]


async def test_a_mailed_link_shows_the_participant_the_questions_of_the_open_survey(gateway: Gateway) -> None:
    plan = await gateway.publish_edition()
    link = f"/v1/editions/{plan.edition_id}/feedback/form"
    await gateway.registration_event(plan, person(1))
    token = gateway.participant_token(person(1), plan)
    assert (await gateway.client.get(link, params={"token": token})).status_code == 404

    opened = SurveyOpened(edition_id=plan.edition_id, questions=plan.feedback_questions,
                          opened_at=datetime.now(UTC), closes_at=datetime.now(UTC) + timedelta(days=14))
    await gateway.deliver(event(opened))
    answer = await gateway.client.get(link, params={"token": token})

    assert answer.status_code == 200
    assert [q["key"] for q in answer.json()["questions"]] == ["overall", "methods"]
    assert answer.json()["links"]["answer"] == f"/v1/editions/{plan.edition_id}/feedback"


async def test_a_token_in_the_address_is_not_accepted_for_changes(gateway: Gateway) -> None:
    plan = await gateway.publish_edition()

    answer = await gateway.client.post(f"/v1/editions/{plan.edition_id}/feedback",
                                       params={"token": gateway.participant_token(person(1), plan)},
                                       json={"ratings": {"overall": 5, "methods": 4}})

    assert answer.status_code == 401
    assert gateway.sent(SubmitFeedback) == []
