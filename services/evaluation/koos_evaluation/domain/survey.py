"""The feedback survey of an edition: its questions, who may answer, when, and the results so far."""

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Literal
from uuid import UUID

from koos_contracts import Event
from koos_contracts.evaluation import FeedbackRecorded, SurveyOpened, SurveyResultsUpdated
from koos_contracts.scheduling import EditionPublished, FeedbackQuestion
from koos_evaluation.domain.answer import Answer
from koos_evaluation.domain.questions import questions_for
from koos_evaluation.domain.results import Results, tally
from koos_evaluation.domain.roster import Roster

SurveyStatus = Literal["pending", "open"]


@dataclass
class Survey:
    """One edition's survey; it opens once, after the edition's last session, for a fixed time."""

    edition_id: UUID
    organisation_id: str
    questions: tuple[FeedbackQuestion, ...] = ()
    published: bool = False
    roster: Roster = field(default_factory=Roster)
    status: SurveyStatus = "pending"
    opened_at: datetime | None = None
    closes_at: datetime | None = None
    recorded: list[str] = field(default_factory=list)
    results: Results | None = None
    version: int = 0
    events: list[Event] = field(default_factory=list)

    @property
    def is_open(self) -> bool:
        return self.status == "open"

    def learn_edition(self, edition: EditionPublished, organisation_id: str) -> bool:
        """Take the questions of the published edition; its organisation is the survey's."""
        if self.published or self.is_open:
            return False
        if organisation_id != self.organisation_id:
            self.organisation_id, self.roster = organisation_id, Roster()
        self.questions, self.published = questions_for(edition.feedback_questions), True
        return True

    def enrol(self, person_id: str, at: datetime) -> bool:
        """The person got a seat at that time."""
        return self.roster.record(person_id, True, at)

    def withdraw(self, person_id: str, at: datetime) -> bool:
        """The person gave up the seat at that time."""
        return self.roster.record(person_id, False, at)

    def open(self, now: datetime, open_for: timedelta) -> bool:
        """Open for answers until `now + open_for`; opening again changes nothing."""
        if self.is_open:
            return False
        self.questions = questions_for(self.questions)
        self.status, self.opened_at, self.closes_at = "open", now, now + open_for
        self.events.append(SurveyOpened(edition_id=self.edition_id, questions=self.questions,
                                        opened_at=now, closes_at=self.closes_at))
        self._announce_results([])
        return True

    def record(self, answer: Answer, answers: Sequence[Answer]) -> bool:
        """Announce a stored answer and the results of all `answers` (in submission order), once per person."""
        if answer.person_id in self.recorded:
            return False
        self.recorded.append(answer.person_id)
        self.events.append(FeedbackRecorded(edition_id=self.edition_id, person_id=answer.person_id,
                                            recorded_at=answer.submitted_at))
        self._announce_results(answers)
        return True

    def recount(self, answers: Sequence[Answer]) -> None:
        """Announce the results again after answers changed (a comment erased): ratings and counts stay."""
        self._announce_results(answers)

    def invited(self, answers: Sequence[Answer]) -> int:
        """People asked to answer: today's participants, and anyone who answered and cancelled since."""
        return len(self.roster.participants() | {a.person_id for a in answers})

    def _announce_results(self, answers: Sequence[Answer]) -> None:
        self.results = tally(self.questions, answers, self.invited(answers))
        self.events.append(SurveyResultsUpdated(edition_id=self.edition_id, **asdict(self.results)))
