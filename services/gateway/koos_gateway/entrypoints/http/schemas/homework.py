"""Request and response bodies of the homework routes."""

from typing import Any
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from koos_contracts.homework import HomeworkKey, ReviewHomework, SetHomework
from koos_contracts.values import LocalizedLongText, LocalizedText, LongText, ShortText
from koos_gateway.domain.homework import HomeworkGrid


class HomeworkDefine(BaseModel):
    """A homework for every accepted team of the programme: its title, description and due time."""

    model_config = ConfigDict(extra="forbid")

    title: LocalizedText
    description: LocalizedLongText = Field(default_factory=dict)
    due_at: AwareDatetime
    workshop_key: ShortText | None = None

    def command(self, programme_id: UUID, key: str) -> SetHomework:
        return SetHomework(programme_id=programme_id, homework_key=key, title=self.title,
                           description=self.description, due_at=self.due_at, workshop_key=self.workshop_key)


class HomeworkReview(BaseModel):
    """A trainer's review of a team's version: accepted, or changes requested (say which in `comments`)."""

    model_config = ConfigDict(extra="forbid")

    version: int = Field(ge=1)
    accepted: bool
    comments: LongText = ""

    def command(self, programme_id: UUID, key: HomeworkKey, team_id: UUID) -> ReviewHomework:
        return ReviewHomework(programme_id=programme_id, homework_key=key, team_id=team_id,
                              version_number=self.version, accepted=self.accepted, comments=self.comments,
                              reviewer_id="staff")


class TeamWorkPublic(BaseModel):
    status: str
    versions: list[dict[str, Any]]


class HomeworkPublic(BaseModel):
    key: str
    title: dict[str, str]
    description: dict[str, str]
    due_at: str
    workshop_key: str | None
    teams: dict[str, TeamWorkPublic]


class HomeworkGridPublic(BaseModel):
    """A programme's homework: each one with every team's standing and versions, and the grid team → homework →
    status (not_started, submitted, changes_requested, resubmitted, accepted, late)."""

    programme_id: str
    homework: list[HomeworkPublic]
    grid: dict[str, dict[str, str]]

    @classmethod
    def of(cls, grid: HomeworkGrid) -> "HomeworkGridPublic":
        items = [HomeworkPublic(key=i.key, title=i.title, description=i.description, due_at=i.due_at,
                                workshop_key=i.workshop_key,
                                teams={t: TeamWorkPublic(status=w.status, versions=w.versions)
                                       for t, w in i.teams.items()})
                 for i in sorted(grid.items.values(), key=lambda item: item.due_at)]
        return cls(programme_id=grid.programme_id, homework=items, grid=grid.cells())
