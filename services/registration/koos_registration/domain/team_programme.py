"""A programme that recruits teams: its places and rule, the teams that applied, and the organiser's decisions.

Rules it keeps: a team meets every required rule of the programme's composition rule (else it is refused with each
broken rule named); a person is in at most one team of the programme (a declined team lets its people go); the
organiser accepts teams while places are left, and the rest wait or are declined; replacing a member checks the
rule again. One programme is one document, so each decision sees every team at once.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from koos_contracts import Event
from koos_contracts.identity import normalise_email
from koos_contracts.teams import (
    CompositionRule,
    Member,
    RuleBreach,
    TeamAccepted,
    TeamApplied,
    TeamChangeRefusalCode,
    TeamDecision,
    TeamDeclined,
    TeamMemberReplaced,
    TeamProgrammeDefined,
    TeamRefusalCode,
    TeamStatus,
    TeamUnchanged,
    TeamWaitlisted,
)
from koos_registration.domain.composition import check

REMEMBERED_COMMANDS = 500
STATUS_AFTER: dict[TeamDecision, TeamStatus] = {"accept": "accepted", "wait": "waiting", "decline": "declined"}


class TeamRefusal(Exception):
    """A request about a team that the rules refuse, with a reason a person can read."""

    def __init__(self, code: TeamRefusalCode | TeamChangeRefusalCode, reason: str,
                 breaches: Sequence[RuleBreach] = ()) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason
        self.breaches = tuple(breaches)


@dataclass
class Team:
    """A team as it applied, with its current members, status and the recommended rules it does not meet."""

    team_id: str
    name: str
    ngo: str
    idea: str
    lead_person_id: str
    members: tuple[Member, ...]
    status: TeamStatus = "applied"
    warnings: tuple[RuleBreach, ...] = ()

    @property
    def holds_people(self) -> bool:
        """Whether its members count as in the programme (a declined team lets them go)."""
        return self.status != "declined"

    def member_by_email(self, email: str) -> Member | None:
        wanted = normalise_email(email)
        return next((m for m in self.members if normalise_email(m.participant.email) == wanted), None)


@dataclass
class TeamProgramme:
    """A programme's team recruitment: places, composition rule, teams; `events` raised by the last changes."""

    programme_id: str
    organisation_id: str
    title: dict[str, str]
    timezone: str
    places: int
    rule: CompositionRule
    teams: dict[str, Team] = field(default_factory=dict)
    version: int = 0
    applied: list[str] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)

    def defined(self) -> TeamProgrammeDefined:
        return TeamProgrammeDefined(programme_id=self.programme_id, title=self.title, timezone=self.timezone,
                                    places=self.places, rule=self.rule)

    def redefine(self, title: dict[str, str], timezone: str, places: int, rule: CompositionRule) -> None:
        """A new rule or number of places, for the applications and replacements still to come."""
        self.title, self.timezone, self.places, self.rule = title, timezone, places, rule
        self.events.append(self.defined())

    @property
    def places_left(self) -> int:
        return max(0, self.places - sum(t.status == "accepted" for t in self.teams.values()))

    def has_applied(self, command_id: str) -> bool:
        return command_id in self.applied

    def note(self, command_id: str) -> None:
        """Remember a command as applied, so that it is never applied twice."""
        self.applied = [*self.applied, command_id][-REMEMBERED_COMMANDS:]

    def apply(self, team: Team) -> None:
        """A team applies: refused if it breaks a required rule or holds someone of another team."""
        existing = self.teams.get(team.team_id)
        if existing is not None:
            if _same_application(existing, team):
                self.events.append(TeamUnchanged(programme_id=self.programme_id, team_id=team.team_id,
                                                 status=existing.status))
                return
            raise TeamRefusal("team_exists", "a team with this id applied already")
        verdict = check(self.rule, [m.role for m in team.members])
        if verdict.refused:
            raise TeamRefusal("rule_broken", verdict.reason, verdict.broken)
        self._refuse_people_of_other_teams(team.members, team.team_id, "already_in_a_team")
        team = replace(team, status="applied", warnings=verdict.warnings)
        self.teams[team.team_id] = team
        self.events.append(TeamApplied(programme_id=self.programme_id, team_id=team.team_id, name=team.name,
                                       ngo=team.ngo, idea=team.idea, lead_person_id=team.lead_person_id,
                                       members=team.members, warnings=team.warnings))

    def decide(self, team_id: str, decision: TeamDecision, note: str | None) -> None:
        """The organiser's decision on a team; accepting needs a place left."""
        team = self._team(team_id)
        status = STATUS_AFTER[decision]
        if team.status == status:
            self.events.append(TeamUnchanged(programme_id=self.programme_id, team_id=team_id, status=status))
            return
        if status == "accepted" and self.places_left == 0:
            raise TeamRefusal("no_place_left", f"all {self.places} places are taken; let the team wait or decline it")
        if team.status == "declined":
            self._refuse_people_of_other_teams(team.members, team_id, "already_in_a_team")
        team.status = status
        self.events.append(self._decided(team, note))

    def replace_member(self, team_id: str, leaving_email: str, joining: Member) -> None:
        """Put a new member in a leaving one's place; the team must still meet the rule."""
        team = self._team(team_id)
        if team.status == "declined":
            raise TeamRefusal("not_open", "the team was declined")
        leaving = team.member_by_email(leaving_email)
        if leaving is None:
            raise TeamRefusal("unknown_member", "no such member in the team")
        members = tuple(joining if m is leaving else m for m in team.members)
        verdict = check(self.rule, [m.role for m in members])
        if verdict.refused:
            raise TeamRefusal("rule_broken", verdict.reason, verdict.broken)
        self._refuse_people_of_other_teams([joining], team_id, "already_in_a_team", but=leaving)
        if leaving.participant.person_id == team.lead_person_id:
            team.lead_person_id = joining.participant.person_id
        team.members, team.warnings = members, verdict.warnings
        self.events.append(TeamMemberReplaced(programme_id=self.programme_id, team_id=team_id, left=leaving,
                                              joined=joining, members=members, warnings=verdict.warnings))

    def memberships(self, person_id: str) -> list[tuple[Team, Member]]:
        """Every team the person is or was a member of, with their entry in it."""
        return [(t, m) for t in self.teams.values() for m in t.members if m.participant.person_id == person_id]

    def anonymise(self, person_id: str, name: str, email: str) -> int:
        """Erase the person from every team they are in: their entry keeps its role and organisation (so that the
        team still meets its rule), their name and address become the erased ones. How many entries changed."""
        changed = 0
        for team in self.teams.values():
            members = tuple(_anonymised(m, person_id, name, email) for m in team.members)
            changed += sum(a is not b for a, b in zip(members, team.members, strict=True))
            team.members = members
        return changed

    def _team(self, team_id: str) -> Team:
        team = self.teams.get(team_id)
        if team is None:
            raise TeamRefusal("unknown_team", "no such team in this programme")
        return team

    def _refuse_people_of_other_teams(self, members: Sequence[Member], team_id: str,
                                      code: TeamRefusalCode | TeamChangeRefusalCode, but: Member | None = None) -> None:
        taken = {m.participant.person_id: t.name for t in self.teams.values() if t.holds_people
                 for m in t.members if t.team_id != team_id}
        if but is not None:
            taken.pop(but.participant.person_id, None)
        clashes = [f"{m.participant.name} is in the team {taken[m.participant.person_id]} already"
                   for m in members if m.participant.person_id in taken]
        if clashes:
            raise TeamRefusal(code, "a person is in at most one team per programme: " + "; ".join(clashes))

    def _decided(self, team: Team, note: str | None) -> Event:
        common = {"programme_id": self.programme_id, "team_id": team.team_id, "members": team.members, "note": note}
        if team.status == "accepted":
            return TeamAccepted(**common, places_left=self.places_left)
        if team.status == "waiting":
            return TeamWaitlisted(**common)
        return TeamDeclined(**common)


def _anonymised(member: Member, person_id: str, name: str, email: str) -> Member:
    participant = member.participant
    if participant.person_id != person_id or (participant.name, participant.email) == (name, email):
        return member
    return member.model_copy(update={"participant": participant.model_copy(update={"name": name, "email": email})})


def _same_application(existing: Team, team: Team) -> bool:
    return (existing.name, existing.ngo, existing.idea, existing.members) == (team.name, team.ngo, team.idea,
                                                                             team.members)
