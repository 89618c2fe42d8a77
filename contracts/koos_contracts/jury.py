"""Messages of evaluation about a juried selection: the rubric, jurors, their scores, the proposal and its release.

One jury per edition. The organiser defines the rubric (artefacts with weighted criteria, a scale and a description
of each level) and the tie-break rules before scoring starts; appoints jurors (with the organisations they belong
to and declared conflicts); has the assignment solved; closes scoring (which proposes the selection with its
figures and justification); releases it, which tells applicants and starts mentoring. Jurors' comments are text a
person wrote and travel inside `Comment` values; people inside `Participant` values.
"""

from datetime import date
from typing import Annotated, ClassVar, Literal
from uuid import UUID

from pydantic import AwareDatetime, Field

from koos_contracts.applications import Contact, Institution
from koos_contracts.base import Command, Event
from koos_contracts.topics import EVALUATION_COMMANDS, SELECTIONS, Topic
from koos_contracts.values import LocalizedLongText, LocalizedText, LongText, Participant, ShortText, Value

Key = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,39}$")]
JuryCommandName = Literal["define", "appoint_juror", "assign", "remind", "close", "appoint_mentor", "release",
                          "record_milestone"]
JuryRefusalCode = Literal["unknown_edition", "no_jury", "invalid", "scoring_started", "scoring_open",
                          "scoring_closed", "not_proposed", "released", "not_in_mentoring"]
MilestoneKey = Literal["pilot_planned", "pilot_launched", "midterm_review", "final_report"]
ScoreRefusalCode = Literal["conflict_of_interest", "not_assigned", "not_a_juror", "unknown_application",
                           "scoring_closed", "no_jury", "invalid"]


class Level(Value):
    """A level of a criterion's scale and what it means."""

    value: int
    description: LocalizedText


class Criterion(Value):
    """A criterion of an artefact: its weight, its scale and the description of each level."""

    key: Key
    title: LocalizedText
    weight: Annotated[float, Field(gt=0)]
    lowest: int
    highest: int
    levels: tuple[Level, ...] = ()


class Artefact(Value):
    """What an institution hands in or gives (a written description, a presentation) and its criteria."""

    key: Key
    title: LocalizedText
    weight: Annotated[float, Field(gt=0)]
    criteria: Annotated[tuple[Criterion, ...], Field(min_length=1)]
    max_size_bytes: int | None = None


class Comment(Value):
    """A juror's comment on one criterion (personal: written by a person)."""

    text: LongText


class CriterionScore(Value):
    """A juror's score of one criterion, with a comment."""

    criterion: Key
    value: int
    comment: Comment | None = None


class _JuryCommand(Command):
    topic: ClassVar[Topic] = EVALUATION_COMMANDS
    key_field: ClassVar[str] = "edition_id"

    edition_id: UUID


class _JuryEvent(Event):
    topic: ClassVar[Topic] = SELECTIONS
    key_field: ClassVar[str] = "edition_id"

    edition_id: UUID

    def subject(self) -> str:
        return str(self.edition_id)


class JuryRules(Value):
    """The rubric (artefacts with weighted criteria, scale and levels) and the rules of the selection."""

    artefacts: Annotated[tuple[Artefact, ...], Field(min_length=1)]
    places: Annotated[int, Field(ge=1)] = 6
    jurors_per_application: Annotated[int, Field(ge=1)] = 2
    tie_breaks: tuple[ShortText, ...] = ()
    share_scores: bool = False
    outlier_threshold: Annotated[float, Field(gt=0)] = 1.5


class DefineJury(JuryRules, _JuryCommand):
    """The rubric and the rules of the selection, fixed before any score is given."""


class AppointJuror(_JuryCommand):
    """A juror (`person_id`: their staff user id), the organisations they belong to, declared conflicts, a limit."""

    juror: Participant
    organisations: tuple[ShortText, ...]
    declared_conflicts: tuple[ShortText, ...] = ()
    max_load: Annotated[int, Field(ge=0)]


class AssignJury(_JuryCommand):
    """Assign jurors to the admitted applications: at least k each, balanced, never a conflicted juror."""


class ScoreApplication(_JuryCommand):
    """A juror's scores of an application, one per criterion with a comment; sent again, it revises them."""

    application_id: UUID
    juror_id: ShortText
    scores: Annotated[tuple[CriterionScore, ...], Field(min_length=1)]


class RemindJurors(_JuryCommand):
    """Remind the jurors who have unfinished assignments — and only them."""


class CloseScoring(_JuryCommand):
    """Close scoring: scores can no longer be revised, and the selection is proposed."""


class AppointMentor(_JuryCommand):
    """A mentor for the mentoring phase, with the organisations they belong to and how many they can take."""

    mentor: Participant
    organisations: tuple[ShortText, ...]
    declared_conflicts: tuple[ShortText, ...] = ()
    capacity: Annotated[int, Field(ge=0)]


class ReleaseSelection(_JuryCommand):
    """Release the proposed selection: applicants are told, and the selected move into mentoring."""


class RecordMilestone(_JuryCommand):
    """A selected institution's pilot reached a milestone, with its report (the last one is the final report)."""

    application_id: UUID
    milestone: MilestoneKey
    report: Comment


class JuryDefined(JuryRules, _JuryEvent):
    """The rubric and selection rules of an edition's jury were fixed."""


class JurorAppointed(_JuryEvent):
    """A juror was appointed, with the organisations they belong to and their load limit."""

    juror_id: str
    organisations: tuple[str, ...]
    declared_conflicts: tuple[str, ...]
    max_load: int


class Assignment(Value):
    """A juror assigned to an application."""

    application_id: UUID
    juror_id: str


class Shortfall(Value):
    """An application that could not get enough jurors, and why."""

    application_id: UUID
    missing: int
    code: str
    reason: str


class JuryAssigned(_JuryEvent):
    """Who scores what; `loads` per juror; applications that could not get enough jurors, with the reason."""

    assignments: tuple[Assignment, ...]
    loads: dict[str, int]
    shortfalls: tuple[Shortfall, ...]


class ApplicationScored(_JuryEvent):
    """A juror's scores of an application were recorded (`revision` counts from 1)."""

    application_id: UUID
    juror_id: str
    revision: int
    scored_at: AwareDatetime


class ScoreRefused(_JuryEvent):
    """A juror's scores were refused, with the reason (e.g. the juror's conflict of interest)."""

    application_id: UUID
    juror_id: str
    reason_code: ScoreRefusalCode
    reason: str


class JurorDue(Value):
    """A juror and the applications they have not finished scoring."""

    juror: Participant
    unfinished: tuple[UUID, ...]


class JurorsReminded(_JuryEvent):
    """The jurors with unfinished assignments, to be reminded; those who are done are not listed."""

    due: tuple[JurorDue, ...]


class OutlierFlag(Value):
    """A juror far from the other jurors on an application."""

    juror_id: str
    juror_score: float
    others_mean: float


class TieBreakNote(Value):
    """The rule that placed the application ahead of (or behind) `other`, whose score it tied."""

    rule: str
    other: UUID
    ahead: bool


class RankedApplication(Value):
    """An application's place in the ranking, with its figures and justification."""

    application_id: UUID
    rank: int
    selected: bool
    score: float
    spread: float | None
    criteria: dict[str, float]
    artefacts: dict[str, float]
    jurors: dict[str, float]
    outliers: tuple[OutlierFlag, ...] = ()
    tie_break: TieBreakNote | None = None
    justification: LocalizedLongText = Field(default_factory=dict)


class SelectionProposed(_JuryEvent):
    """Scoring closed; the ranking with the figures, the proposed selection, and agreement per criterion."""

    ranking: tuple[RankedApplication, ...]
    selected: tuple[UUID, ...]
    incomplete: tuple[UUID, ...]
    agreement: dict[str, float | None]
    tie_breaks: tuple[str, ...]
    closed_at: AwareDatetime


class GivenScore(Value):
    """One score an applicant may see (when the organiser shares them): no juror named."""

    criterion: str
    value: int
    comment: Comment | None = None


class ApplicantResult(Value):
    """What one applicant is told when the selection is released."""

    application_id: UUID
    institution: Institution
    contacts: tuple[Contact, ...]
    selected: bool
    rank: int | None
    scores: tuple[GivenScore, ...] = ()


class SelectionReleased(_JuryEvent):
    """The organiser released the selection: every applicant's outcome (with their scores if shared)."""

    results: tuple[ApplicantResult, ...]
    share_scores: bool
    released_at: AwareDatetime


class MentorPair(Value):
    """A selected institution and its mentor."""

    application_id: UUID
    institution_id: str
    mentor: Participant


class Unpaired(Value):
    """A selected institution left without a mentor, and why."""

    application_id: UUID
    code: str
    reason: str


class Milestone(Value):
    """A milestone of every institution's pilot and when it is due."""

    key: MilestoneKey
    due_on: date


class MentoringStarted(_JuryEvent):
    """The selected institutions moved into mentoring, each paired with a mentor free of conflicts."""

    pairs: tuple[MentorPair, ...]
    unpaired: tuple[Unpaired, ...]
    months: int
    started_at: AwareDatetime
    milestones: tuple[Milestone, ...] = ()


class MilestoneRecorded(_JuryEvent):
    """A selected institution's milestone was recorded; `finished` once its final report is in."""

    application_id: UUID
    milestone: MilestoneKey
    report: Comment
    recorded_at: AwareDatetime
    finished: bool


class MentorAppointed(_JuryEvent):
    """A mentor was appointed for the mentoring phase."""

    mentor_id: str
    organisations: tuple[str, ...]
    declared_conflicts: tuple[str, ...]
    capacity: int


class JuryCommandRefused(_JuryEvent):
    """An organiser's jury command was refused, with the reason."""

    command: JuryCommandName
    reason_code: JuryRefusalCode
    reason: str


OUTCOMES: dict[type[Command], tuple[type[Event], ...]] = {
    DefineJury: (JuryDefined, JuryCommandRefused),
    AppointJuror: (JurorAppointed, JuryCommandRefused),
    AssignJury: (JuryAssigned, JuryCommandRefused),
    ScoreApplication: (ApplicationScored, ScoreRefused),
    RemindJurors: (JurorsReminded, JuryCommandRefused),
    CloseScoring: (SelectionProposed, JuryCommandRefused),
    AppointMentor: (MentorAppointed, JuryCommandRefused),
    ReleaseSelection: (SelectionReleased, JuryCommandRefused),
    RecordMilestone: (MilestoneRecorded, JuryCommandRefused),
}
"""The events that answer each command, one of them exactly once, with the command's id as causation."""
