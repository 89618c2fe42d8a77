"""Messages of scheduling about programmes: phases with goals, outside dates, and the lifecycle's stage gates.

A programme goes draft → published → registration open → registration closed → running → evaluation →
selection → follow-on → finished; each step is an organiser's command and an event, and a step that does not follow
the one before is refused with the reason. Its events travel on the editions topic, keyed by the programme.
"""

from datetime import date, time
from typing import Annotated, ClassVar, Literal
from uuid import UUID

from pydantic import Field, model_validator

from koos_contracts.base import Command, Event
from koos_contracts.topics import EDITIONS, SCHEDULING_COMMANDS, Topic
from koos_contracts.values import LocalizedLongText, LocalizedText, TimeZoneName, Value, Venue

Stage = Literal["draft", "published", "registration_open", "registration_closed", "running", "evaluation",
                "selection", "follow_on", "finished"]
STAGES: tuple[Stage, ...] = ("draft", "published", "registration_open", "registration_closed", "running",
                             "evaluation", "selection", "follow_on", "finished")
"""The lifecycle in its order: each stage follows only the one before it."""
Key = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{0,39}$")]
DaysBefore = Annotated[tuple[Annotated[int, Field(ge=0, le=365)], ...], Field(max_length=5)]


class Phase(Value):
    """A part of the programme with its dates and goals (e.g. March–June: research, co-creation, a test)."""

    key: Key
    name: LocalizedText
    starts_on: date
    ends_on: date
    goals: LocalizedLongText = Field(default_factory=dict)

    @model_validator(mode="after")
    def _ends_after_start(self) -> "Phase":
        if self.ends_on < self.starts_on:
            raise ValueError(f"phase {self.key} ends on {self.ends_on}, before it starts on {self.starts_on}")
        return self


class OutsideDate(Value):
    """A date outside Koos that matters to participants (a funding round closing), reminded `remind_days_before`."""

    key: Key
    name: LocalizedText
    on: date
    remind_days_before: DaysBefore = (14, 2)


BlockKind = Literal["theory", "practice", "lunch"]


class Block(Value):
    """A part of a workshop day: theory, practice with design tools, or lunch (participants' own)."""

    kind: BlockKind
    start: time
    end: time

    @model_validator(mode="after")
    def _ends_after_start(self) -> "Block":
        if self.end <= self.start:
            raise ValueError(f"a {self.kind} block ends at {self.end:%H:%M}, not after it starts at {self.start:%H:%M}")
        return self


class WorkshopPlan(Value):
    """A workshop of the programme: its topics, its day (None while it is still to be set), times and blocks."""

    key: Key
    title: LocalizedText
    topics: LocalizedLongText = Field(default_factory=dict)
    day: date | None = None
    start: time = time(9, 45)
    end: time = time(17, 0)
    venue: Venue
    blocks: Annotated[tuple[Block, ...], Field(max_length=12)] = ()


class _ProgrammeCommand(Command):
    topic: ClassVar[Topic] = SCHEDULING_COMMANDS
    key_field: ClassVar[str] = "programme_id"


class _ProgrammeEvent(Event):
    topic: ClassVar[Topic] = EDITIONS
    key_field: ClassVar[str] = "programme_id"

    programme_id: UUID

    def subject(self) -> str:
        return str(self.programme_id)


class DraftProgramme(_ProgrammeCommand):
    """Draft a programme: its title, time zone, phases and outside dates."""

    programme_id: UUID
    title: LocalizedText
    timezone: TimeZoneName
    starts_on: date
    ends_on: date
    phases: Annotated[tuple[Phase, ...], Field(max_length=20)] = ()
    outside_dates: Annotated[tuple[OutsideDate, ...], Field(max_length=20)] = ()


class AdvanceProgramme(_ProgrammeCommand):
    """Move a programme on to the next stage of its lifecycle."""

    programme_id: UUID
    to: Stage


class PlanWorkshops(_ProgrammeCommand):
    """Set the programme's workshops: some dated, others to be set later."""

    programme_id: UUID
    workshops: Annotated[tuple[WorkshopPlan, ...], Field(min_length=1, max_length=30)]


class DateWorkshop(_ProgrammeCommand):
    """Give a workshop its day (one still to be set, or a new one)."""

    programme_id: UUID
    workshop_key: Key
    day: date


class ProgrammeDrafted(_ProgrammeEvent):
    """A programme was drafted with its phases and outside dates."""

    title: LocalizedText
    timezone: TimeZoneName
    starts_on: date
    ends_on: date
    phases: tuple[Phase, ...]
    outside_dates: tuple[OutsideDate, ...]


class ProgrammeAdvanced(_ProgrammeEvent):
    """A programme moved on from one stage to the next."""

    previous: Stage
    stage: Stage


class WorkshopsPlanned(_ProgrammeEvent):
    """The programme's workshops as planned."""

    workshops: tuple[WorkshopPlan, ...]


class WorkshopDated(_ProgrammeEvent):
    """A workshop got its day (`previous_day` None when it was still to be set)."""

    workshop: WorkshopPlan
    previous_day: date | None = None


class ProgrammeRefused(_ProgrammeEvent):
    """A programme request was refused, with the reason (e.g. a stage that does not follow the current one)."""

    reason: str
    stage: Stage | None = None


OUTCOMES = {
    DraftProgramme: (ProgrammeDrafted, ProgrammeRefused),
    AdvanceProgramme: (ProgrammeAdvanced, ProgrammeRefused),
    PlanWorkshops: (WorkshopsPlanned, ProgrammeRefused),
    DateWorkshop: (WorkshopDated, ProgrammeRefused),
}
"""The events that answer each command, one of them exactly once, with the command's id as causation."""
