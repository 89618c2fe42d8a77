"""Results are computed from the answers alone: counts, means, distributions, response rate and quotes."""

from collections import Counter
from datetime import UTC, datetime, timedelta
from random import Random
from statistics import mean
from uuid import uuid4

from koos_contracts.scheduling import FeedbackQuestion
from koos_evaluation.domain.answer import Answer
from koos_evaluation.domain.results import tally

QUESTIONS = (FeedbackQuestion(key="overall", text={"en": "Overall"}),
             FeedbackQuestion(key="methods", text={"en": "Methods"}))
START = datetime(2027, 6, 6, 12, tzinfo=UTC)


def answers_of(ratings: list[dict[str, int]], comments: list[str | None]) -> list[Answer]:
    edition_id = uuid4()
    return [Answer(edition_id, "org", f"p{i}", r, c, START + timedelta(minutes=i), f"cmd-{i}")
            for i, (r, c) in enumerate(zip(ratings, comments, strict=True))]


def test_means_and_distributions_match_the_ratings_given() -> None:
    rng = Random(7)
    ratings = [{"overall": rng.randint(1, 5), "methods": rng.randint(1, 5)} for _ in range(23)]
    results = tally(QUESTIONS, answers_of(ratings, [None] * 23), invited=30)

    for question in results.questions:
        given = [r[question.key] for r in ratings]
        counts = Counter(given)
        assert question.responses == 23
        assert question.mean == mean(given)
        assert question.distribution == {str(grade): counts[grade] for grade in range(1, 6)}
    assert (results.invited, results.responses) == (30, 23)
    assert results.response_rate == 23 / 30


def test_quotes_are_the_non_empty_comments_stripped_in_submission_order() -> None:
    comments = ["  Jeg likte å jobbe på tvers av enheter. ", None, "   ", "Innsiktsfasen betyr mye!", ""]
    results = tally(QUESTIONS, answers_of([{"overall": 4, "methods": 4}] * 5, comments), invited=5)

    assert results.quotes == ("Jeg likte å jobbe på tvers av enheter.", "Innsiktsfasen betyr mye!")


def test_a_survey_without_answers_has_no_mean_and_an_empty_distribution() -> None:
    results = tally(QUESTIONS, [], invited=12)

    assert results.response_rate == 0.0
    assert [q.mean for q in results.questions] == [None, None]
    assert results.questions[0].distribution == {"1": 0, "2": 0, "3": 0, "4": 0, "5": 0}


def test_nobody_invited_gives_a_zero_response_rate_rather_than_an_error() -> None:
    assert tally(QUESTIONS, [], invited=0).response_rate == 0.0
