"""Fakes of the evaluation ports that keep the same guarantees as the Mongo adapters."""

import copy
from collections.abc import Sequence
from dataclasses import replace
from uuid import UUID

from koos_contracts import Envelope
from koos_evaluation.domain.answer import Answer, answer_id
from koos_evaluation.domain.programme_homework import ProgrammeHomework
from koos_evaluation.domain.survey import Survey
from koos_evaluation.service_layer.ports import Answers, HomeworkStore, StaleSurvey, Surveys
from koos_kit.versioned import StaleDocument
from tests.fakes import FakeVersionedStore


class SimulatedCrash(Exception):
    """The process died here."""


class FakeSurveys(Surveys):
    """Surveys in a dict; events go to `stored_events` as the outbox keeps them; `crash_next_save` dies once."""

    def __init__(self) -> None:
        self.stored: dict[UUID, Survey] = {}
        self.stored_events: list[Envelope] = []
        self.crash_next_save = False

    async def get(self, edition_id: UUID) -> Survey | None:
        found = self.stored.get(edition_id)
        return copy.deepcopy(found) if found else None

    async def save(self, survey: Survey, envelopes: Sequence[Envelope]) -> None:
        if self.crash_next_save:
            self.crash_next_save = False
            raise SimulatedCrash("before the survey was saved")
        current = self.stored.get(survey.edition_id)
        if (current.version if current else 0) != survey.version:
            raise StaleSurvey(str(survey.edition_id))
        survey.version += 1
        survey.events.clear()
        self.stored[survey.edition_id] = copy.deepcopy(survey)
        self.stored_events.extend(envelopes)


class FakeAnswers(Answers):
    """Answers under the same deterministic ids as in MongoDB, kept in insertion order."""

    def __init__(self) -> None:
        self.stored: dict[str, Answer] = {}

    async def get(self, edition_id: UUID, person_id: str) -> Answer | None:
        return self.stored.get(answer_id(edition_id, person_id))

    async def add(self, answer: Answer) -> bool:
        if answer.answer_id in self.stored:
            return False
        self.stored[answer.answer_id] = answer
        return True

    async def of_edition(self, edition_id: UUID) -> list[Answer]:
        found = [a for a in self.stored.values() if a.edition_id == edition_id]
        return sorted(found, key=lambda a: a.submitted_at)

    async def of_person(self, organisation_id: str, person_id: str) -> list[Answer]:
        return [a for a in self.stored.values() if (a.organisation_id, a.person_id) == (organisation_id, person_id)]

    async def drop_comment(self, edition_id: UUID, person_id: str) -> bool:
        answer = self.stored.get(answer_id(edition_id, person_id))
        if answer is None or answer.comment is None:
            return False
        self.stored[answer.answer_id] = replace(answer, comment=None)
        return True


class FakeHomework(FakeVersionedStore[ProgrammeHomework], HomeworkStore):
    """Programmes' homework in a dict, guarded by their version like the Mongo store; its events kept as the
    outbox would publish them."""

    stale = StaleDocument

    async def handed_in_by(self, organisation_id: str, person_id: str) -> list[ProgrammeHomework]:
        return [copy.deepcopy(p) for p in self.stored.values()
                if p.organisation_id == organisation_id and p.handed_in_by(person_id)]

    async def save(self, programme: ProgrammeHomework, envelopes: Sequence[Envelope]) -> None:
        programme.events.clear()  # as the Mongo adapter does: the envelopes carry them now
        await super().save(programme, envelopes)
