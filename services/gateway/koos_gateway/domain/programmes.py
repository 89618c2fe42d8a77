"""Programmes as the gateway shows them: their stage in the lifecycle, phases and outside dates."""

from dataclasses import dataclass

from koos_contracts.programmes import STAGES, OutsideDate, Phase, ProgrammeDrafted, Stage, WorkshopPlan


@dataclass(frozen=True)
class ProgrammeView:
    """A programme as drafted, at the stage it has reached."""

    organisation_id: str
    drafted: ProgrammeDrafted
    stage: Stage = "draft"
    workshops: tuple[WorkshopPlan, ...] = ()

    @property
    def programme_id(self) -> str:
        return str(self.drafted.programme_id)

    @property
    def phases(self) -> tuple[Phase, ...]:
        return self.drafted.phases

    @property
    def outside_dates(self) -> tuple[OutsideDate, ...]:
        return self.drafted.outside_dates

    @property
    def next_stage(self) -> Stage | None:
        """The one stage the programme may move on to."""
        index = STAGES.index(self.stage) + 1
        return STAGES[index] if index < len(STAGES) else None
