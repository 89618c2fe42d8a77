"""A survey opens once, after the edition's last session, with the edition's questions or the default set."""

from datetime import timedelta

from koos_contracts.evaluation import SurveyOpened, SurveyResultsUpdated
from koos_evaluation.domain.questions import DEFAULT_QUESTIONS
from koos_evaluation.service_layer import handlers
from koos_evaluation.service_layer.ports import Ports
from tests.unit.evaluation.course import ORG, Course


async def test_the_survey_opens_only_when_the_last_session_has_ended(course: Course) -> None:
    await course.publish()
    await course.end_session("s1", last=False)
    await course.end_session("s2", last=False)
    assert course.stored(SurveyOpened) == []

    await course.end_session("s3", last=True)
    (opened,) = course.stored(SurveyOpened)
    assert [q.key for q in opened.questions] == ["overall", "methods"]
    assert opened.closes_at - opened.opened_at == timedelta(days=14)
    assert opened.opened_at == course.clock.now()


async def test_a_redelivered_last_session_end_neither_reopens_nor_announces_again(course: Course) -> None:
    await course.publish()
    event, envelope = await course.end_session("s3", last=True)
    first_close = course.stored(SurveyOpened)[0].closes_at
    course.clock.advance(days=3)

    await handlers.open_after_last_session(event, envelope, course.ports)
    await course.end_session("s3", last=True)

    assert len(course.stored(SurveyOpened)) == 1
    survey = await course.ports.surveys.get(course.edition_id)
    assert survey is not None and survey.closes_at == first_close


async def test_the_opening_announces_results_with_nobody_answered_yet(course: Course) -> None:
    await course.publish()
    for n in range(1, 4):
        await course.confirm(n)
    await course.end_all_sessions()

    results = course.stored(SurveyResultsUpdated)[-1]
    assert (results.invited, results.responses, results.response_rate) == (3, 0, 0.0)


async def test_an_edition_without_questions_gets_the_default_set_in_four_languages(ports: Ports) -> None:
    course = Course(ports, questions=())
    await course.publish()
    await course.end_all_sessions()

    (opened,) = course.stored(SurveyOpened)
    assert [q.key for q in opened.questions] == ["overall", "methods", "trainers"]
    assert opened.questions == DEFAULT_QUESTIONS
    assert all(set(q.text) == {"et", "fi", "nb", "en"} for q in opened.questions)


async def test_the_survey_belongs_to_the_organisation_that_published_the_edition(course: Course) -> None:
    await course.confirm(1)
    await course.publish(organisation=ORG)

    survey = await course.ports.surveys.get(course.edition_id)
    assert survey is not None and survey.organisation_id == ORG
