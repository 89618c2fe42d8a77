"""The questions of a survey: the edition's own, or a default set when it names none."""

from collections.abc import Sequence

from koos_contracts.scheduling import FeedbackQuestion

DEFAULT_QUESTIONS: tuple[FeedbackQuestion, ...] = (
    FeedbackQuestion(key="overall", text={
        "et": "Kui kasulik oli kursus sinu töö jaoks?",
        "fi": "Kuinka hyödyllinen kurssi oli työllesi?",
        "nb": "Hvor nyttig var kurset for arbeidet ditt?",
        "en": "How useful was the course for your work?",
    }),
    FeedbackQuestion(key="methods", text={
        "et": "Kui hästi toimisid sinu jaoks meetodid ja töövahendid?",
        "fi": "Kuinka hyvin menetelmät ja työkalut toimivat sinulle?",
        "nb": "Hvor godt fungerte metodene og verktøyene for deg?",
        "en": "How well did the methods and tools work for you?",
    }),
    FeedbackQuestion(key="trainers", text={
        "et": "Kuidas hindad koolitajaid?",
        "fi": "Millaisen arvosanan annat kouluttajille?",
        "nb": "Hvordan vurderer du kursholderne?",
        "en": "How would you rate the trainers?",
    }),
)


def questions_for(edition_questions: Sequence[FeedbackQuestion]) -> tuple[FeedbackQuestion, ...]:
    """The edition's questions, or the default set when it has none."""
    return tuple(edition_questions) or DEFAULT_QUESTIONS
