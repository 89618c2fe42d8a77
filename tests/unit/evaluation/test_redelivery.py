"""Commands arrive at least once; an answer is still counted exactly once, even across a crash."""

import pytest

from koos_contracts.evaluation import FeedbackRecorded
from koos_contracts.scheduling import FeedbackQuestion
from koos_evaluation.service_layer.ports import Ports
from tests.unit.evaluation.course import Course, person_id
from tests.unit.evaluation.fakes import SimulatedCrash

BOTH = {"overall": 3, "methods": 5}


async def opened(course: Course, *numbers: int) -> None:
    await course.publish()
    for n in numbers:
        await course.confirm(n)
    await course.end_all_sessions()


async def crash_after_storing_the_answer(course: Course, n: int, ratings: dict[str, int],
                                         comment: str | None = None) -> None:
    course.ports.surveys.crash_next_save = True  # type: ignore[attr-defined]
    with pytest.raises(SimulatedCrash):
        await course.submit(n, ratings, comment)
    assert await course.ports.answers.get(course.edition_id, person_id(n)) is not None


async def test_a_crash_between_storing_the_answer_and_the_results_is_repaired_on_redelivery(course: Course) -> None:
    await opened(course, 1, 2, 3)
    await course.submit(1, {"overall": 5, "methods": 5})
    await crash_after_storing_the_answer(course, 2, {"overall": 1, "methods": 2}, "Bra!")
    assert course.results().responses == 1

    await course.redeliver_last()
    await course.redeliver_last()

    results = course.results()
    assert (results.invited, results.responses) == (3, 2)
    assert results.questions[0].mean == 3 and results.questions[0].distribution == {
        "1": 1, "2": 0, "3": 0, "4": 0, "5": 1}
    assert results.quotes == ("Bra!",)
    assert [m.person_id for m in course.stored(FeedbackRecorded)] == [person_id(1), person_id(2)]
    assert course.refusals() == []


async def test_a_redelivered_answer_after_both_writes_changes_nothing(course: Course) -> None:
    await opened(course, 1, 2)
    await course.submit(1, BOTH)
    announced = len(course.ports.surveys.stored_events)  # type: ignore[attr-defined]

    await course.redeliver_last()
    await course.redeliver_last()

    assert len(course.ports.surveys.stored_events) == announced  # type: ignore[attr-defined]
    assert course.results().responses == 1
    assert course.refusals() == []


async def test_a_redelivery_after_the_survey_closed_still_finishes_an_accepted_answer(course: Course) -> None:
    await opened(course, 1)
    await crash_after_storing_the_answer(course, 1, BOTH)
    course.clock.advance(days=30)

    await course.redeliver_last()

    assert course.results().responses == 1
    assert course.refusals() == []


async def test_the_next_answer_counts_one_whose_own_count_was_interrupted(ports: Ports) -> None:
    course = Course(ports, questions=(FeedbackQuestion(key="overall", text={"nb": "Totalt"}),))
    await opened(course, 1, 2)
    await crash_after_storing_the_answer(course, 1, {"overall": 2})
    await course.submit(2, {"overall": 4})
    await course.redeliver_last()
    course.sent.pop()
    await course.redeliver_last()

    results = course.results()
    assert (results.responses, results.questions[0].mean) == (2, 3)
    assert sorted(m.person_id for m in course.stored(FeedbackRecorded)) == sorted([person_id(1), person_id(2)])
