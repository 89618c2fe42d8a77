"""Programmes as the API shows them."""

from datetime import date
from typing import Annotated

from pydantic import BaseModel, Field

from koos_contracts.programmes import OutsideDate, Phase, Stage, WorkshopPlan
from koos_gateway.domain.programmes import ProgrammeView


class StageChange(BaseModel):
    """The stage a programme is to move on to."""

    to: Stage


class ProgrammePublic(BaseModel):
    """A programme: its stage, the next one, its phases and outside dates."""

    programme_id: str
    title: dict[str, str]
    timezone: str
    starts_on: date
    ends_on: date
    stage: Stage
    next_stage: Stage | None
    phases: list[Phase]
    outside_dates: list[OutsideDate]
    workshops: list[WorkshopPlan]

    @classmethod
    def of(cls, programme: ProgrammeView) -> "ProgrammePublic":
        drafted = programme.drafted
        return cls(programme_id=programme.programme_id, title={str(k): v for k, v in drafted.title.items()},
                   timezone=drafted.timezone, starts_on=drafted.starts_on, ends_on=drafted.ends_on,
                   stage=programme.stage, next_stage=programme.next_stage, phases=list(drafted.phases),
                   outside_dates=list(drafted.outside_dates), workshops=list(programme.workshops))


class WorkshopsBody(BaseModel):
    """The programme's workshops (a workshop without a day is still to be set)."""

    workshops: Annotated[list[WorkshopPlan], Field(min_length=1, max_length=30)]


class WorkshopDay(BaseModel):
    """The day a workshop is given."""

    day: date
