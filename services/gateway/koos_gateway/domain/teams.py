"""Programmes that recruit teams, and their teams, as the gateway shows them to organisers and team leads."""

from dataclasses import dataclass, replace

from koos_contracts.teams import CompositionRule, Member, RuleBreach, TeamStatus


@dataclass(frozen=True)
class TeamView:
    """A team as it stands: its members, status and the recommended rules it does not meet."""

    team_id: str
    name: str
    ngo: str
    idea: str
    lead_person_id: str
    members: tuple[Member, ...]
    status: TeamStatus = "applied"
    warnings: tuple[RuleBreach, ...] = ()


@dataclass(frozen=True)
class TeamProgrammeView:
    """A programme's places, composition rule and teams (in the order they applied)."""

    programme_id: str
    organisation_id: str
    title: dict[str, str]
    timezone: str
    places: int
    rule: CompositionRule
    teams: tuple[TeamView, ...] = ()

    @property
    def places_left(self) -> int:
        return max(0, self.places - sum(t.status == "accepted" for t in self.teams))

    def team(self, team_id: str) -> TeamView | None:
        return next((t for t in self.teams if t.team_id == team_id), None)

    def with_team(self, team: TeamView) -> "TeamProgrammeView":
        """The programme with a team added or changed."""
        others = tuple(t for t in self.teams if t.team_id != team.team_id)
        if len(others) == len(self.teams):
            return replace(self, teams=(*self.teams, team))
        return replace(self, teams=tuple(team if t.team_id == team.team_id else t for t in self.teams))
