"""One course edition as evaluation sees it, driven by the facts scheduling and registration would publish."""

from typing import Any
from uuid import uuid4

from koos_contracts import Envelope, Message, parse
from koos_contracts.evaluation import FeedbackRefused, SubmitFeedback, SurveyResultsUpdated
from koos_contracts.identity import person_id_for
from koos_contracts.registration import (
    RegistrationCancelled,
    RegistrationConfirmed,
    RegistrationPromoted,
    RegistrationStatus,
)
from koos_contracts.scheduling import FeedbackQuestion, SessionEnded
from koos_contracts.values import Participant
from koos_evaluation.service_layer import feedback, handlers
from koos_evaluation.service_layer.ports import Ports
from tests.builders import open_course, person, published
from tests.fakes import FixedClock, envelope_for

ORG = "org-oslo"


def person_id(n: int, organisation: str = ORG) -> str:
    """The id registration gives participant n."""
    return person_id_for(organisation, person(n).email)


class Course:
    """Publishes facts to the handlers as Kafka would deliver them; the clock moves a minute per fact."""

    def __init__(self, ports: Ports, questions: tuple[FeedbackQuestion, ...] | None = None) -> None:
        self.ports = ports
        changes: dict[str, Any] = {} if questions is None else {"feedback_questions": questions}
        self.plan = open_course(**changes)
        self.edition_id = self.plan.edition_id
        self.sent: list[tuple[SubmitFeedback, Envelope]] = []

    @property
    def clock(self) -> FixedClock:
        return self.ports.clock  # type: ignore[return-value]

    async def publish(self, organisation: str = ORG) -> None:
        event = published(self.plan)
        await handlers.learn_edition(event, self._envelope(event, organisation), self.ports)

    async def confirm(self, n: int, organisation: str = ORG) -> None:
        event = RegistrationConfirmed(**self._registration(n), confirmed_at=self.clock.now())
        await handlers.enrol_participant(event, self._envelope(event, organisation), self.ports)

    async def promote(self, n: int) -> None:
        event = RegistrationPromoted(**self._registration(n), promoted_at=self.clock.now())
        await handlers.enrol_participant(event, self._envelope(event), self.ports)

    async def cancel(self, n: int, previous_status: RegistrationStatus = "confirmed") -> None:
        event = RegistrationCancelled(registration_id=uuid4(), edition_id=self.edition_id, person_id=person_id(n),
                                      previous_status=previous_status, cancelled_at=self.clock.now())
        await handlers.withdraw_participant(event, self._envelope(event), self.ports)

    async def end_session(self, session_id: str, last: bool) -> tuple[SessionEnded, Envelope]:
        event = SessionEnded(edition_id=self.edition_id, session_id=session_id, ended_at=self.clock.now(),
                             last_of_edition=last)
        envelope = self._envelope(event)
        await handlers.open_after_last_session(event, envelope, self.ports)
        return event, envelope

    async def end_all_sessions(self) -> None:
        for index, session in enumerate(self.plan.sessions, start=1):
            await self.end_session(session.session_id, last=index == len(self.plan.sessions))

    async def submit(self, n: int, ratings: dict[str, int], comment: str | None = None,
                     organisation: str = ORG) -> tuple[SubmitFeedback, Envelope]:
        command = SubmitFeedback(edition_id=self.edition_id, person_id=person_id(n), ratings=ratings, comment=comment)
        envelope = self._envelope(command, organisation)
        self.sent.append((command, envelope))
        await feedback.submit_feedback(command, envelope, self.ports)
        return command, envelope

    async def redeliver_last(self) -> None:
        """Hand the last command sent to the handler again, as Kafka does after a crash."""
        command, envelope = self.sent[-1]
        await feedback.submit_feedback(command, envelope, self.ports)

    def stored(self, of_type: type[Message]) -> list[Any]:
        """Events stored in the survey's outbox, in order."""
        found = [parse(e) for e in self.ports.surveys.stored_events]  # type: ignore[attr-defined]
        return [m for m in found if isinstance(m, of_type)]

    def refusals(self) -> list[str]:
        return [m.reason for m in self.ports.replies.messages(FeedbackRefused)]  # type: ignore[attr-defined]

    def results(self) -> SurveyResultsUpdated:
        """The latest results announced."""
        return self.stored(SurveyResultsUpdated)[-1]  # type: ignore[no-any-return]

    def _registration(self, n: int) -> dict[str, Any]:
        participant = Participant(person_id=person_id(n), **person(n).model_dump())
        return {"registration_id": uuid4(), "edition_id": self.edition_id, "participant": participant}

    def _envelope(self, message: Message, organisation: str = ORG) -> Envelope:
        self.clock.advance(minutes=1)
        return envelope_for(message, organisation, time=self.clock.now())
