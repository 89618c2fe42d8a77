"""Erasing a person removes their comment everywhere evaluation keeps it; ratings, counts and means stay."""

import json

from koos_evaluation.service_layer.personal_data import EvaluationHolder
from koos_evaluation.service_layer.ports import Ports
from tests.unit.evaluation.course import ORG, Course, person_id
from tests.unit.evaluation.test_feedback import opened_with_participants

COMMENTS = {1: "Jeg likte å jobbe på tvers av enheter.", 2: "Innsiktsfasen er viktig!"}


async def answered(course: Course) -> None:
    await opened_with_participants(course, 1, 2, 3)
    for n, ratings in ((1, {"overall": 5, "methods": 2}), (2, {"overall": 3, "methods": 4}),
                       (3, {"overall": 4, "methods": 4})):
        await course.submit(n, ratings, COMMENTS.get(n))


async def test_an_erased_persons_comment_leaves_the_quotes_and_the_means_stay(course: Course, ports: Ports) -> None:
    await answered(course)
    before = course.results()

    erased = await EvaluationHolder(ports).erase(person_id(1), ORG)

    after = course.results()
    assert erased == {"comments": 1, "jury_rounds": 0, "homework_versions": 0}
    assert after.quotes == (COMMENTS[2],) and after.quoted_by == (person_id(2),)
    assert [q.mean for q in after.questions] == [q.mean for q in before.questions]
    assert (after.responses, after.invited) == (before.responses, before.invited)
    assert (await ports.answers.get(course.edition_id, person_id(1))).comment is None  # type: ignore[union-attr]
    assert await EvaluationHolder(ports).erase(person_id(1), ORG) == {"comments": 0, "jury_rounds": 0,
                                                                      "homework_versions": 0}


async def test_an_export_holds_the_persons_ratings_and_comment(course: Course, ports: Ports) -> None:
    await answered(course)

    document = await EvaluationHolder(ports).export(person_id(2), ORG)

    (answer,) = json.loads(json.dumps(document))["answers"]
    assert answer["ratings"] == {"overall": 3, "methods": 4} and answer["comment"] == COMMENTS[2]
    assert answer["edition_id"] == str(course.edition_id)
