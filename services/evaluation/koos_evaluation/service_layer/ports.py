"""What the handlers need from the outside world."""

import abc
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from uuid import UUID

from koos_contracts import Envelope
from koos_evaluation.domain.answer import Answer
from koos_evaluation.domain.jury_round import JuryRound
from koos_evaluation.domain.programme_homework import ProgrammeHomework
from koos_evaluation.domain.survey import Survey
from koos_kit.clock import Clock
from koos_kit.errors import RetryLater
from koos_kit.events import EventFactory
from koos_kit.ports import Replies


class StaleSurvey(RetryLater):
    """The survey changed since it was read; read it again and retry."""


class Surveys(abc.ABC):
    """Stores surveys; each save also stores the events it raised, atomically."""

    @abc.abstractmethod
    async def get(self, edition_id: UUID) -> Survey | None: ...

    @abc.abstractmethod
    async def save(self, survey: Survey, envelopes: Sequence[Envelope]) -> None:
        """Store a new or changed survey; raise StaleSurvey if someone else changed it first."""


class Answers(abc.ABC):
    """Stores answers, one per person and edition, never changed once stored but for an erased comment."""

    @abc.abstractmethod
    async def get(self, edition_id: UUID, person_id: str) -> Answer | None: ...

    @abc.abstractmethod
    async def add(self, answer: Answer) -> bool:
        """Store an answer; False if the person's answer for the edition exists already."""

    @abc.abstractmethod
    async def of_edition(self, edition_id: UUID) -> list[Answer]:
        """Every answer for an edition, in submission order."""

    @abc.abstractmethod
    async def of_person(self, organisation_id: str, person_id: str) -> list[Answer]:
        """Every answer a person gave in an organisation."""

    @abc.abstractmethod
    async def drop_comment(self, edition_id: UUID, person_id: str) -> bool:
        """Remove the comment of a person's answer (the ratings stay, for the means); False if it had none."""


@dataclass(frozen=True)
class Ports:
    """Everything a handler may touch."""

    surveys: Surveys
    answers: Answers
    replies: Replies
    clock: Clock
    factory: EventFactory
    survey_open_for: timedelta = timedelta(days=14)
    rounds: "Rounds | None" = None
    homework: "HomeworkStore | None" = None


class HomeworkStore(abc.ABC):
    """Programmes' homework, one per programme; a save stores the events it raised with it (outbox)."""

    @abc.abstractmethod
    async def get(self, programme_id: str) -> ProgrammeHomework | None: ...

    @abc.abstractmethod
    async def save(self, programme: ProgrammeHomework, envelopes: Sequence[Envelope]) -> None:
        """Store a new or changed programme; RetryLater if it changed meanwhile."""

    @abc.abstractmethod
    async def handed_in_by(self, organisation_id: str, person_id: str) -> list[ProgrammeHomework]:
        """The organisation's programmes with a version the person handed in (for their export or erasure)."""


class Rounds(abc.ABC):
    """Jury rounds, one per edition; a save stores the events it raised with it (outbox)."""

    @abc.abstractmethod
    async def get(self, edition_id: UUID) -> JuryRound | None: ...

    @abc.abstractmethod
    async def save(self, round_: JuryRound, envelopes: Sequence[Envelope]) -> None:
        """Store a new or changed round; RetryLater if it changed meanwhile."""

    @abc.abstractmethod
    async def naming(self, organisation_id: str, subject_id: str) -> list[dict[str, Any]]:
        """Each place a round of the organisation names the person (for their export)."""

    @abc.abstractmethod
    async def anonymise(self, organisation_id: str, subject_id: str) -> int:
        """Erase the person's name and address wherever the organisation's rounds name them; how many places."""
