"""Use cases about teams: an organiser defines a programme's rule and decides on teams; a team lead applies."""

from dataclasses import dataclass
from uuid import UUID, uuid4

from koos_contracts import Command
from koos_contracts.teams import ApplyWithTeam, DecideOnTeam, DefineTeamProgramme, ReplaceTeamMember
from koos_gateway.domain.access import ORGANISER, Caller
from koos_gateway.domain.commands import CommandRecord
from koos_gateway.domain.errors import Conflict, NotFound, Refused
from koos_gateway.domain.teams import TeamProgrammeView, TeamView
from koos_gateway.service_layer import commands
from koos_gateway.service_layer.unit import Ports

RULE_REFUSALS = ("rule_broken",)


@dataclass(frozen=True)
class TeamAnswer:
    """The command sent and, once it succeeded, the programme as it then stands."""

    command: CommandRecord
    programme: TeamProgrammeView | None
    team_id: str | None = None

    @property
    def team(self) -> TeamView | None:
        return self.programme.team(self.team_id) if self.programme and self.team_id else None


async def define(command: DefineTeamProgramme, caller: Caller, correlation_id: str, ports: Ports) -> TeamAnswer:
    """An organiser opens a programme to team applications, or changes its rule or places."""
    caller.require(ORGANISER)
    known = await ports.teams.get(str(command.programme_id))
    if known is not None and not caller.belongs_to(known.organisation_id):
        raise NotFound("no such programme")
    return await _send(command, caller, correlation_id, str(command.programme_id), None, ports)


async def apply_publicly(command: ApplyWithTeam, correlation_id: str, ports: Ports) -> TeamAnswer:
    """A team lead applies with the team to a programme that takes applications (no credentials needed)."""
    programme = await ports.teams.get(str(command.programme_id))
    if programme is None:
        raise NotFound("no such programme takes team applications")
    organisation = programme.organisation_id
    subject = await ports.people.subject_for(organisation, str(command.lead_email))
    command = command.model_copy(update={"lead_subject_id": subject})
    lead = Caller.participant(organisation, subject)
    return await _send(command, lead, correlation_id, programme.programme_id, str(command.team_id), ports)


async def decide(command: DecideOnTeam, caller: Caller, correlation_id: str, ports: Ports) -> TeamAnswer:
    """An organiser accepts a team, lets it wait or declines it."""
    await _visible_team(str(command.programme_id), str(command.team_id), caller, ports)
    return await _send(command, caller, correlation_id, str(command.programme_id), str(command.team_id), ports)


async def replace_member(command: ReplaceTeamMember, caller: Caller, correlation_id: str, ports: Ports) -> TeamAnswer:
    """An organiser records that a member left and another took the place."""
    await _visible_team(str(command.programme_id), str(command.team_id), caller, ports)
    leaving = await ports.people.known_subject(caller.organisation_id, str(command.leaving_email))
    command = command.model_copy(update={"leaving_subject_id": leaving})
    return await _send(command, caller, correlation_id, str(command.programme_id), str(command.team_id), ports)


async def visible_programme(programme_id: str, caller: Caller, ports: Ports) -> TeamProgrammeView:
    """A programme of the caller's organisation, for its staff."""
    caller.require_staff_or_partner()
    programme = await ports.teams.get(programme_id)
    if programme is None or not caller.belongs_to(programme.organisation_id):
        raise NotFound("no such programme")
    return programme


def new_team_id() -> UUID:
    """The id of a team about to apply."""
    return uuid4()


async def _visible_team(programme_id: str, team_id: str, caller: Caller, ports: Ports) -> TeamView:
    caller.require(ORGANISER)
    team = (await visible_programme(programme_id, caller, ports)).team(team_id)
    if team is None:
        raise NotFound("no such team in this programme")
    return team


async def _send(command: Command, caller: Caller, correlation_id: str, programme_id: str, team_id: str | None,
                ports: Ports) -> TeamAnswer:
    resource = f"/v1/programmes/{programme_id}/teams" + (f"/{team_id}" if team_id else "")
    record = await commands.send(command, caller, correlation_id, resource, ports)
    record = await commands.outcome(record, ports.policy.command_wait_seconds, ports)
    if record.status == "refused":
        reason = record.reason or "refused"
        details = [{"reason": part} for part in reason.split("; ")]
        error = Refused if record.reason_code in RULE_REFUSALS else Conflict
        raise error(reason, code=record.reason_code or "refused", details=details)
    programme = await ports.teams.get(programme_id) if record.status == "succeeded" else None
    return TeamAnswer(record, programme, team_id)
