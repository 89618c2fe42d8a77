"""Team programmes and teams as the API takes and shows them."""

from typing import Annotated
from uuid import UUID

from pydantic import BaseModel, EmailStr, Field

from koos_contracts.teams import (
    ApplyWithTeam,
    CompositionRule,
    DecideOnTeam,
    DefineTeamProgramme,
    ReplaceTeamMember,
    RuleBreach,
    ServiceIdea,
    TeamDecision,
    TeamMember,
    TeamStatus,
)
from koos_contracts.values import LocalizedText, ShortText, TimeZoneName
from koos_gateway.domain.teams import TeamProgrammeView, TeamView


class TeamProgrammeDefine(BaseModel):
    """A programme's places and composition rule, as the organiser states them."""

    title: LocalizedText
    timezone: TimeZoneName = "Europe/Tallinn"
    places: Annotated[int, Field(ge=1, le=1000)]
    rule: CompositionRule

    def command(self, programme_id: UUID) -> DefineTeamProgramme:
        return DefineTeamProgramme(programme_id=programme_id, title=self.title, timezone=self.timezone,
                                   places=self.places, rule=self.rule)


class TeamApplication(BaseModel):
    """A team lead's application: the team's name, the lead's address (one of the members), the NGO, the idea."""

    name: ShortText
    lead_email: EmailStr
    ngo: ShortText
    idea: ServiceIdea
    members: Annotated[list[TeamMember], Field(min_length=1, max_length=50)]

    def command(self, programme_id: UUID, team_id: UUID) -> ApplyWithTeam:
        return ApplyWithTeam(programme_id=programme_id, team_id=team_id, name=self.name, lead_email=self.lead_email,
                             ngo=self.ngo, idea=self.idea, members=tuple(self.members))


class TeamDecisionBody(BaseModel):
    """The organiser's decision on a team."""

    decision: TeamDecision
    note: ShortText | None = None

    def command(self, programme_id: UUID, team_id: UUID) -> DecideOnTeam:
        return DecideOnTeam(programme_id=programme_id, team_id=team_id, decision=self.decision, note=self.note)


class MemberReplacement(BaseModel):
    """Who leaves the team, and who takes the place."""

    leaving_email: EmailStr
    member: TeamMember

    def command(self, programme_id: UUID, team_id: UUID) -> ReplaceTeamMember:
        return ReplaceTeamMember(programme_id=programme_id, team_id=team_id, leaving_email=self.leaving_email,
                                 member=self.member)


class MemberPublic(BaseModel):
    """A member of a team (staff see their contact data)."""

    person_id: str
    name: str
    email: str
    language: str
    organisation: str
    role: str
    lead: bool


class TeamApplicationAnswer(BaseModel):
    """What a team lead is told: the application is in, with the recommended rules the team does not meet."""

    team_id: str
    status: TeamStatus
    warnings: list[RuleBreach]


class TeamPublic(TeamApplicationAnswer):
    """A team as its organiser sees it."""

    name: str
    ngo: str
    idea: str
    members: list[MemberPublic]

    @classmethod
    def of(cls, team: TeamView) -> "TeamPublic":
        members = [MemberPublic(person_id=m.participant.person_id, name=m.participant.name,
                                email=m.participant.email, language=m.participant.language,
                                organisation=m.organisation, role=m.role,
                                lead=m.participant.person_id == team.lead_person_id) for m in team.members]
        return cls(team_id=team.team_id, status=team.status, warnings=list(team.warnings), name=team.name,
                   ngo=team.ngo, idea=team.idea, members=members)


class TeamProgrammePublic(BaseModel):
    """A programme's places, rule and teams."""

    programme_id: str
    title: dict[str, str]
    timezone: str
    places: int
    places_left: int
    rule: CompositionRule
    teams: list[TeamPublic]

    @classmethod
    def of(cls, programme: TeamProgrammeView) -> "TeamProgrammePublic":
        return cls(programme_id=programme.programme_id, title=programme.title, timezone=programme.timezone,
                   places=programme.places, places_left=programme.places_left, rule=programme.rule,
                   teams=[TeamPublic.of(t) for t in programme.teams])
