"""Participants answer once while the survey is open; everyone else is refused with a reason."""

from collections import Counter
from random import Random
from statistics import mean

from koos_contracts.evaluation import FeedbackRecorded
from koos_evaluation.domain import eligibility
from tests.unit.evaluation.course import Course, person_id

BOTH = {"overall": 5, "methods": 4}


async def opened_with_participants(course: Course, *numbers: int) -> None:
    await course.publish()
    for n in numbers:
        await course.confirm(n)
    await course.end_all_sessions()


async def test_results_match_the_answers_given(course: Course) -> None:
    await opened_with_participants(course, *range(1, 11))
    rng = Random(2027)
    given = {n: {"overall": rng.randint(1, 5), "methods": rng.randint(1, 5)} for n in range(1, 8)}
    comments = {1: " Jeg likte å jobbe på tvers av enheter. ", 4: "", 6: "Innsiktsfasen er viktig!"}
    for n, ratings in given.items():
        await course.submit(n, ratings, comments.get(n))

    results = course.results()
    assert (results.invited, results.responses) == (10, 7)
    assert results.response_rate == 7 / 10
    for question in results.questions:
        rated = [r[question.key] for r in given.values()]
        assert question.responses == 7
        assert question.mean == mean(rated)
        assert question.distribution == {str(g): Counter(rated)[g] for g in range(1, 6)}
    assert results.quotes == ("Jeg likte å jobbe på tvers av enheter.", "Innsiktsfasen er viktig!")
    assert [m.person_id for m in course.stored(FeedbackRecorded)] == [person_id(n) for n in given]
    assert course.refusals() == []


async def test_a_second_answer_of_the_same_person_is_refused_and_not_counted(course: Course) -> None:
    await opened_with_participants(course, 1, 2)
    await course.submit(1, BOTH)
    await course.submit(1, {"overall": 1, "methods": 1})

    assert course.refusals() == [eligibility.ANSWERED_ALREADY]
    assert course.results().responses == 1
    assert course.results().questions[0].mean == 5


async def test_a_person_who_is_not_a_participant_is_refused(course: Course) -> None:
    await opened_with_participants(course, 1)
    await course.submit(99, BOTH)

    assert course.refusals() == [eligibility.NOT_A_PARTICIPANT]
    assert course.stored(FeedbackRecorded) == []


async def test_a_participant_who_cancelled_is_refused(course: Course) -> None:
    await course.publish()
    await course.confirm(1)
    await course.confirm(2)
    await course.cancel(2)
    await course.end_all_sessions()
    await course.submit(2, BOTH)

    assert course.refusals() == [eligibility.CANCELLED]
    assert course.results().invited == 1


async def test_someone_promoted_from_the_waiting_list_may_answer(course: Course) -> None:
    await course.publish()
    await course.confirm(1)
    await course.cancel(1)
    await course.cancel(7, previous_status="waiting")
    await course.promote(2)
    await course.end_all_sessions()
    await course.submit(2, BOTH)

    assert course.refusals() == []
    assert (course.results().invited, course.results().responses) == (1, 1)


async def test_a_late_arriving_older_confirmation_does_not_undo_a_cancellation(course: Course) -> None:
    await course.publish()
    confirmed_at = course.clock.now()
    course.clock.advance(hours=1)
    await course.cancel(3)
    course.clock.current = confirmed_at
    await course.confirm(3)
    await course.end_all_sessions()
    await course.submit(3, BOTH)

    assert course.refusals() == [eligibility.CANCELLED]


async def test_answers_before_the_last_session_has_ended_are_refused(course: Course) -> None:
    await course.publish()
    await course.confirm(1)
    await course.end_session("s1", last=False)
    await course.submit(1, BOTH)

    assert course.refusals() == [eligibility.NOT_OPEN_YET]


async def test_answers_after_the_survey_closed_are_refused(course: Course) -> None:
    await opened_with_participants(course, 1, 2)
    await course.submit(1, BOTH)
    course.clock.advance(days=14)
    await course.submit(2, BOTH)

    (reason,) = course.refusals()
    assert reason.startswith("the survey closed at ")
    assert course.results().responses == 1


async def test_a_rating_for_a_question_the_survey_does_not_ask_is_refused(course: Course) -> None:
    await opened_with_participants(course, 1)
    await course.submit(1, {**BOTH, "catering": 2})

    assert course.refusals() == ["the survey has no question 'catering'"]


async def test_every_question_must_be_rated(course: Course) -> None:
    await opened_with_participants(course, 1)
    await course.submit(1, {"overall": 4}, "Fint kurs")

    assert course.refusals() == ["every question needs a rating from 1 to 5; not rated: 'methods'"]
    await course.submit(1, BOTH)
    assert course.results().responses == 1


async def test_an_answer_sent_in_the_name_of_another_organisation_is_refused(course: Course) -> None:
    await opened_with_participants(course, 1)
    await course.submit(1, BOTH, organisation="org-helsinki")

    assert course.refusals() == [eligibility.NO_SURVEY]
    assert course.stored(FeedbackRecorded) == []


async def test_registrations_from_another_organisation_do_not_make_participants(course: Course) -> None:
    await course.publish()
    await course.confirm(1, organisation="org-helsinki")
    await course.end_all_sessions()
    await course.submit(1, BOTH)

    assert course.refusals() == [eligibility.NOT_A_PARTICIPANT]
    assert course.results().invited == 0


async def test_someone_who_answered_and_cancelled_afterwards_still_counts_as_invited(course: Course) -> None:
    await opened_with_participants(course, 1, 2)
    await course.submit(1, BOTH)
    await course.cancel(1)
    await course.submit(2, BOTH)

    results = course.results()
    assert (results.invited, results.responses, results.response_rate) == (2, 2, 1.0)
