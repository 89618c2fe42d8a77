"""A programme's lifecycle: stages that follow one another, phases with goals, outside dates that matter.

A stage may only follow the one before it; anything else is refused with a reason a person can read. Other steps
of a programme (setting homework, say) ask `require_at_least` whether the programme is far enough along.
"""

from dataclasses import dataclass, field
from datetime import date

from koos_contracts import Event
from koos_contracts.programmes import (
    STAGES,
    DraftProgramme,
    ProgrammeAdvanced,
    ProgrammeDrafted,
    Stage,
    WorkshopDated,
    WorkshopPlan,
    WorkshopsPlanned,
)
from koos_scheduling.domain import workshops as workshop_rules
from koos_scheduling.domain.errors import ScheduleRefused

REMEMBERED_COMMANDS = 200


def stage_name(stage: Stage) -> str:
    """A stage as people write it: `registration_open` is "registration open"."""
    return stage.replace("_", " ").replace("follow on", "follow-on")


def require_at_least(stage: Stage, needed: Stage, action: str) -> None:
    """Refuse an action that needs the programme to have reached a stage (e.g. homework needs it running)."""
    if STAGES.index(stage) < STAGES.index(needed):
        raise ScheduleRefused(f"{action} cannot be done before the programme is {stage_name(needed)}; "
                              f"it is {stage_name(stage)}")


@dataclass
class Programme:
    """A programme as drafted, and the stage it has reached; `events` raised by the last change."""

    plan: DraftProgramme
    organisation_id: str
    stage: Stage = "draft"
    workshops: tuple[WorkshopPlan, ...] = ()
    version: int = 0
    applied: list[str] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)

    @classmethod
    def draft(cls, plan: DraftProgramme, organisation_id: str) -> "Programme":
        """A new programme in draft, with its phases inside its dates."""
        for phase in plan.phases:
            if phase.starts_on < plan.starts_on or phase.ends_on > plan.ends_on:
                raise ScheduleRefused(f"phase {phase.key} ({phase.starts_on} – {phase.ends_on}) is outside the "
                                      f"programme's dates ({plan.starts_on} – {plan.ends_on})")
        programme = cls(plan, organisation_id)
        programme.events.append(ProgrammeDrafted(
            programme_id=plan.programme_id, title=plan.title, timezone=plan.timezone, starts_on=plan.starts_on,
            ends_on=plan.ends_on, phases=plan.phases, outside_dates=plan.outside_dates))
        return programme

    @property
    def programme_id(self) -> str:
        return str(self.plan.programme_id)

    def advance(self, to: Stage) -> None:
        """Move on to the next stage; a stage out of order is refused with the stage it must follow."""
        current = STAGES.index(self.stage)
        wanted = STAGES.index(to)
        if wanted == current:
            raise ScheduleRefused(f"the programme is {stage_name(to)} already")
        if wanted < current:
            raise ScheduleRefused(f"a programme does not go back: it is {stage_name(self.stage)}, "
                                  f"{stage_name(to)} came before")
        if wanted > current + 1:
            raise ScheduleRefused(f"{stage_name(to)} can only follow {stage_name(STAGES[wanted - 1])}; "
                                  f"the programme is {stage_name(self.stage)}")
        previous, self.stage = self.stage, to
        self.events.append(ProgrammeAdvanced(programme_id=self.plan.programme_id, previous=previous, stage=to))

    def plan_workshops(self, workshops: tuple[WorkshopPlan, ...]) -> None:
        """Set the workshops (some dated, some to be set); a programme that is over takes none."""
        if self.stage == "finished":
            raise ScheduleRefused("the programme is finished")
        self.workshops = workshop_rules.checked(workshops, self.plan)
        self.events.append(WorkshopsPlanned(programme_id=self.plan.programme_id, workshops=self.workshops))

    def date_workshop(self, key: str, day: date) -> None:
        """Give a workshop its day; everyone in the programme is told."""
        workshop = next((w for w in self.workshops if w.key == key), None)
        if workshop is None:
            raise ScheduleRefused(f"the programme has no workshop {key}")
        if workshop.day == day:
            raise ScheduleRefused(f"workshop {key} is on {day} already")
        workshop_rules.within(key, day, self.plan)
        dated = workshop.model_copy(update={"day": day})
        self.workshops = tuple(dated if w.key == key else w for w in self.workshops)
        self.events.append(WorkshopDated(programme_id=self.plan.programme_id, workshop=dated,
                                         previous_day=workshop.day))

    def has_applied(self, command_id: str) -> bool:
        return command_id in self.applied

    def note(self, command_id: str) -> None:
        self.applied = [*self.applied, command_id][-REMEMBERED_COMMANDS:]
