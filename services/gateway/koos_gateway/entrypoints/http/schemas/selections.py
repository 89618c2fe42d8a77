"""Applications and the jury as the API takes them."""

from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, EmailStr, Field

from koos_contracts.applications import Contact, Institution
from koos_contracts.jury import AppointJuror, AppointMentor, CriterionScore, JuryRules, MilestoneKey
from koos_contracts.values import FALLBACK_LANGUAGE, Language, LongText, Participant, Person, PersonName, ShortText
from koos_gateway.domain.commands import CommandRecord


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class InstitutionApplication(_Body):
    """An institution's application: who it is, its contact people, the staff who will take part, and why."""

    institution: Institution
    contacts: Annotated[tuple[Contact, ...], Field(min_length=1, max_length=5)]
    staff: Annotated[tuple[Person, ...], Field(max_length=20)] = ()
    motivation: LongText

    def command_fields(self) -> dict[str, Any]:
        return {"institution": self.institution, "contacts": self.contacts, "staff": self.staff,
                "motivation": {"text": self.motivation}}


class Decision(_Body):
    admit: bool


class JuryDefinition(JuryRules):
    """The rubric per artefact and the tie-break rules, fixed before scoring."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Member(_Body):
    """A juror or mentor: `person_id` is their staff user id; the organisations they belong to; conflicts."""

    person_id: ShortText
    name: PersonName
    email: EmailStr
    language: Language = FALLBACK_LANGUAGE
    organisations: tuple[ShortText, ...]
    declared_conflicts: tuple[ShortText, ...] = ()
    limit: Annotated[int, Field(ge=0, description="A juror's most applications, a mentor's most institutions.")]

    def juror(self, edition_id: UUID) -> AppointJuror:
        return AppointJuror(edition_id=edition_id, juror=self._person(), organisations=self.organisations,
                            declared_conflicts=self.declared_conflicts, max_load=self.limit)

    def mentor(self, edition_id: UUID) -> AppointMentor:
        return AppointMentor(edition_id=edition_id, mentor=self._person(), organisations=self.organisations,
                             declared_conflicts=self.declared_conflicts, capacity=self.limit)

    def _person(self) -> Participant:
        return Participant(person_id=self.person_id, name=self.name, email=str(self.email), language=self.language)


class ScoreSheet(_Body):
    scores: Annotated[tuple[CriterionScore, ...], Field(min_length=1)]


class MilestoneReport(_Body):
    """A milestone of the pilot and its report; `final_report` comes last and closes the pilot."""

    milestone: MilestoneKey
    report: LongText


class CommandAnswer(BaseModel):
    """The command was sent (`pending`) or done (`done`); refusals are errors with the reason."""

    command_id: str
    status: Literal["pending", "done"]
    application_id: str | None = None
    links: dict[str, str]

    @classmethod
    def of(cls, record: CommandRecord, application_id: str | None = None) -> "CommandAnswer":
        return cls(command_id=record.command_id, status="done" if record.status == "succeeded" else "pending",
                   application_id=application_id, links={"command": f"/v1/commands/{record.command_id}"})
