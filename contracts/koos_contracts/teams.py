"""Messages of registration about teams: a programme's composition rule, applications, decisions, replacements.

A development programme recruits teams, not single people. The organiser states per programme which roles a team
must (`required`) or should (`recommended`) have, as data; a team lead applies with the members, the NGO and the
service idea. Registration checks the rule, keeps a person in at most one team per programme, and the organiser
accepts teams up to the programme's places (an application, not first come first served).
"""

from typing import Annotated, ClassVar, Literal
from uuid import UUID

from pydantic import Field, model_validator

from koos_contracts.base import Command, Event
from koos_contracts.topics import REGISTRATION_COMMANDS, TEAMS, Topic
from koos_contracts.values import (
    PERSONAL_SUBJECTS,
    LocalizedText,
    Participant,
    Person,
    Personal,
    PersonEmail,
    ShortText,
    TimeZoneName,
    Value,
)

RoleSlug = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,39}$")]
RuleKey = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{0,39}$")]
RuleLevel = Literal["required", "recommended"]
TeamDecision = Literal["accept", "wait", "decline"]
TeamStatus = Literal["applied", "accepted", "waiting", "declined"]
TeamRefusalCode = Literal["unknown_programme", "rule_broken", "already_in_a_team", "team_exists"]
TeamChangeRefusalCode = Literal["unknown_programme", "unknown_team", "unknown_member", "rule_broken",
                                "already_in_a_team", "no_place_left", "not_open"]
ServiceIdea = Annotated[str, Field(max_length=5000, json_schema_extra={"x-personal": True})]
"""The team's service idea, written by the team lead (personal: free text a person wrote)."""


class MemberRule(Value):
    """How many members with one of `roles` a team has: at least `at_least`, at most `at_most`.

    A `required` rule refuses a team that breaks it; a `recommended` one accepts it with a warning.
    """

    key: RuleKey
    label: LocalizedText
    roles: Annotated[tuple[RoleSlug, ...], Field(min_length=1, max_length=20)]
    at_least: Annotated[int, Field(ge=0, le=50)] = 0
    at_most: Annotated[int | None, Field(ge=0, le=50)] = None
    level: RuleLevel = "required"

    @model_validator(mode="after")
    def _bounds_in_order(self) -> "MemberRule":
        if self.at_most is not None and self.at_most < self.at_least:
            raise ValueError(f"rule {self.key}: at most {self.at_most} is fewer than at least {self.at_least}")
        return self


class CompositionRule(Value):
    """The roles a programme knows (with their names) and the rules a team's members must or should meet."""

    roles: Annotated[dict[RoleSlug, LocalizedText], Field(min_length=1, max_length=40)]
    rules: Annotated[tuple[MemberRule, ...], Field(max_length=40)]
    max_members: Annotated[int, Field(ge=1, le=50)] = 12

    @model_validator(mode="after")
    def _roles_known(self) -> "CompositionRule":
        unknown = sorted({role for rule in self.rules for role in rule.roles} - self.roles.keys())
        if unknown:
            raise ValueError(f"rules name roles the programme does not list: {', '.join(unknown)}")
        return self


class TeamMember(Value):
    """A member as the team lead gives them: the person, their organisation and their role in the team."""

    person: Person
    organisation: ShortText
    role: RoleSlug


class Member(Value):
    """A member as registration knows them (in events)."""

    participant: Participant
    organisation: ShortText
    role: RoleSlug


class RuleBreach(Value):
    """A rule a team does not meet: which one, how many members it counts, and what it says."""

    rule_key: str
    level: RuleLevel
    counted: int
    reason: str


class _TeamCommand(Command):
    topic: ClassVar[Topic] = REGISTRATION_COMMANDS
    key_field: ClassVar[str] = "programme_id"


class _TeamEvent(Event):
    topic: ClassVar[Topic] = TEAMS
    key_field: ClassVar[str] = "programme_id"

    programme_id: UUID


class _OneTeamEvent(_TeamEvent):
    team_id: UUID

    def subject(self) -> str:
        return str(self.team_id)


class DefineTeamProgramme(_TeamCommand):
    """Open a programme to team applications with its places and composition rule (again: a new rule)."""

    programme_id: UUID
    title: LocalizedText
    timezone: TimeZoneName
    places: Annotated[int, Field(ge=1, le=1000)]
    rule: CompositionRule


class ApplyWithTeam(_TeamCommand):
    """A team lead applies with the team: its members (the lead among them), the NGO and the service idea."""

    programme_id: UUID
    team_id: UUID
    name: ShortText
    lead_email: Annotated[Personal[PersonEmail], Field(json_schema_extra={PERSONAL_SUBJECTS: "lead_subject_id"})]
    ngo: ShortText
    idea: ServiceIdea
    members: Annotated[tuple[TeamMember, ...], Field(min_length=1, max_length=50)]
    lead_subject_id: str | None = None
    """The lead's subject id, whose key seals `lead_email` (the gateway sets it)."""


class DecideOnTeam(_TeamCommand):
    """The organiser accepts a team (while places are left), lets it wait, or declines it."""

    programme_id: UUID
    team_id: UUID
    decision: TeamDecision
    note: ShortText | None = None


class ReplaceTeamMember(_TeamCommand):
    """Put a new member in the place of one who leaves; the team must still meet the rule."""

    programme_id: UUID
    team_id: UUID
    leaving_email: Annotated[Personal[PersonEmail], Field(json_schema_extra={PERSONAL_SUBJECTS: "leaving_subject_id"})]
    member: TeamMember
    leaving_subject_id: str | None = None
    """The leaving member's subject id, whose key seals `leaving_email` (the gateway sets it when it knows them)."""


class TeamProgrammeDefined(_TeamEvent):
    """A programme takes team applications under this rule."""

    title: LocalizedText
    timezone: TimeZoneName
    places: int
    rule: CompositionRule

    def subject(self) -> str:
        return str(self.programme_id)


class TeamProgrammeRefused(_TeamEvent):
    """A programme's definition was refused (another organisation's programme has this id)."""

    reason: str


class TeamApplied(_OneTeamEvent):
    """A team applied and meets every required rule; `warnings` are the recommended rules it does not meet."""

    name: ShortText
    ngo: ShortText
    idea: ServiceIdea
    lead_person_id: str
    members: tuple[Member, ...]
    warnings: tuple[RuleBreach, ...] = ()


class TeamRefused(_OneTeamEvent):
    """A team's application was refused: every broken required rule is named in `breaches` (and in `reason`)."""

    reason_code: TeamRefusalCode
    reason: str
    breaches: tuple[RuleBreach, ...] = ()
    lead: Participant | None = None
    members: tuple[Member, ...] = ()


class TeamUnchanged(_OneTeamEvent):
    """The same application or decision came again: nothing changed."""

    status: TeamStatus


class TeamAccepted(_OneTeamEvent):
    """The organiser gave the team one of the programme's places; `places_left` after it."""

    places_left: int
    members: tuple[Member, ...]
    note: ShortText | None = None


class TeamWaitlisted(_OneTeamEvent):
    """The team waits for a decision (all places may be taken)."""

    members: tuple[Member, ...]
    note: ShortText | None = None


class TeamDeclined(_OneTeamEvent):
    """The team was declined, politely."""

    members: tuple[Member, ...]
    note: ShortText | None = None


class TeamMemberReplaced(_OneTeamEvent):
    """A member left the team and another took the place; `warnings` as for an application."""

    left: Member
    joined: Member
    members: tuple[Member, ...]
    warnings: tuple[RuleBreach, ...] = ()


class TeamChangeRefused(_OneTeamEvent):
    """A decision or a replacement was refused, with the reason (and the broken rules, if any)."""

    reason_code: TeamChangeRefusalCode
    reason: str
    breaches: tuple[RuleBreach, ...] = ()


OUTCOMES = {
    DefineTeamProgramme: (TeamProgrammeDefined, TeamProgrammeRefused),
    ApplyWithTeam: (TeamApplied, TeamRefused, TeamUnchanged),
    DecideOnTeam: (TeamAccepted, TeamWaitlisted, TeamDeclined, TeamChangeRefused, TeamUnchanged),
    ReplaceTeamMember: (TeamMemberReplaced, TeamChangeRefused),
}
"""The events that answer each command, one of them exactly once, with the command's id as causation."""
