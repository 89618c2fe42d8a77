"""Survey results, computed from the stored answers alone (never incremented), so a redo cannot count twice."""

from collections.abc import Sequence
from dataclasses import dataclass

from koos_contracts.evaluation import QuestionResult
from koos_contracts.scheduling import FeedbackQuestion
from koos_evaluation.domain.answer import Answer

SCALE = ("1", "2", "3", "4", "5")


@dataclass(frozen=True)
class Results:
    """How many were invited and answered, each question's ratings, and the quotes."""

    invited: int
    responses: int
    response_rate: float
    questions: tuple[QuestionResult, ...]
    quotes: tuple[str, ...]
    quoted_by: tuple[str, ...] = ()


def tally(questions: Sequence[FeedbackQuestion], answers: Sequence[Answer], invited: int) -> Results:
    """Results of answers given in submission order; `invited` counts the people asked to answer."""
    return Results(
        invited=invited,
        responses=len(answers),
        response_rate=len(answers) / invited if invited else 0.0,
        questions=tuple(question_result(q.key, answers) for q in questions),
        quotes=tuple(quote for a in answers if (quote := a.quote) is not None),
        quoted_by=tuple(a.person_id for a in answers if a.quote is not None),
    )


def question_result(key: str, answers: Sequence[Answer]) -> QuestionResult:
    """Responses, mean and the distribution over 1..5 of one question."""
    ratings = [a.ratings[key] for a in answers if key in a.ratings]
    distribution = {grade: sum(1 for r in ratings if str(r) == grade) for grade in SCALE}
    mean = sum(ratings) / len(ratings) if ratings else None
    return QuestionResult(key=key, responses=len(ratings), mean=mean, distribution=distribution)
