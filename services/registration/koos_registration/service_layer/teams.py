"""Handlers of team recruitment: a programme's rule, applications, the organiser's decisions, replacements.

Each command reads the programme, lets the domain decide, and stores the programme with the events in one
update (the outbox); a refusal changes nothing and is answered through the replies' outbox, once per command.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from koos_contracts import Envelope, Event
from koos_contracts.identity import person_id_for
from koos_contracts.teams import (
    ApplyWithTeam,
    DecideOnTeam,
    DefineTeamProgramme,
    Member,
    ReplaceTeamMember,
    RuleBreach,
    TeamChangeRefused,
    TeamMember,
    TeamProgrammeRefused,
    TeamRefused,
)
from koos_contracts.values import Participant
from koos_kit.events import EventFactory
from koos_kit.logging import get_logger
from koos_kit.ports import Replies
from koos_registration.domain.team_programme import Team, TeamProgramme, TeamRefusal
from koos_registration.service_layer.ports import TeamProgrammes

log = get_logger("koos.registration.teams")

UNKNOWN_PROGRAMME = "no such programme takes team applications"


@dataclass(frozen=True)
class TeamPorts:
    """Everything the team handlers may touch."""

    programmes: TeamProgrammes
    replies: Replies
    factory: EventFactory


async def define_programme(command: DefineTeamProgramme, envelope: Envelope, ports: TeamPorts) -> None:
    """Open a programme to team applications, or give it a new rule and number of places."""
    programme = await ports.programmes.get(str(command.programme_id))
    if programme is not None and programme.has_applied(envelope.id):
        return
    if programme is not None and programme.organisation_id != envelope.organisationid:
        refusal = TeamProgrammeRefused(programme_id=command.programme_id,
                                       reason="another organisation's programme has this id")
        await _reply(refusal, envelope, ports)
        return
    title = {str(language): text for language, text in command.title.items()}
    if programme is None:
        programme = TeamProgramme(str(command.programme_id), envelope.organisationid, title, command.timezone,
                                  command.places, command.rule)
        programme.events.append(programme.defined())
    else:
        programme.redefine(title, command.timezone, command.places, command.rule)
    await _save(programme, envelope, ports)


async def apply_with_team(command: ApplyWithTeam, envelope: Envelope, ports: TeamPorts) -> None:
    """A team applies; refused with every broken required rule, accepted as an application with warnings."""
    members = tuple(member_of(m, envelope.organisationid) for m in command.members)
    lead = next((m for m in members if m.participant.email.casefold() == command.lead_email.casefold()), None)

    def refused(code: str, reason: str, breaches: tuple[RuleBreach, ...] = ()) -> TeamRefused:
        return TeamRefused(programme_id=command.programme_id, team_id=command.team_id, reason_code=cast(Any, code),
                           reason=reason, breaches=breaches, lead=lead.participant if lead else None, members=members)

    programme = await _programme(command.programme_id, envelope, ports)
    if programme is None:
        await _reply(refused("unknown_programme", UNKNOWN_PROGRAMME), envelope, ports)
        return
    if programme.has_applied(envelope.id):
        return
    if lead is None:
        await _reply(refused("rule_broken", "the team lead must be one of the members"), envelope, ports)
        return
    team = Team(str(command.team_id), command.name, command.ngo, command.idea, lead.participant.person_id, members)
    try:
        programme.apply(team)
    except TeamRefusal as refusal:
        await _reply(refused(refusal.code, refusal.reason, refusal.breaches), envelope, ports)
        return
    await _save(programme, envelope, ports)


async def decide_on_team(command: DecideOnTeam, envelope: Envelope, ports: TeamPorts) -> None:
    """The organiser accepts, lets wait or declines a team."""
    await _change(command, envelope, ports,
                  lambda programme: programme.decide(str(command.team_id), command.decision, command.note))


async def replace_member(command: ReplaceTeamMember, envelope: Envelope, ports: TeamPorts) -> None:
    """A member leaves and another takes the place; the rule is checked again."""
    joining = member_of(command.member, envelope.organisationid)
    await _change(command, envelope, ports,
                  lambda programme: programme.replace_member(str(command.team_id), command.leaving_email, joining))


def member_of(member: TeamMember, organisation_id: str) -> Member:
    """A member as registration knows them: the person under the subject id the gateway gave them (else the id
    derived from their address within the organisation)."""
    person_id = member.person.subject_id or person_id_for(organisation_id, member.person.email)
    participant = Participant.model_construct(person_id=person_id, **member.person.model_dump(exclude={"subject_id"}))
    return Member(participant=participant, organisation=member.organisation, role=member.role)


async def _change(command: DecideOnTeam | ReplaceTeamMember, envelope: Envelope, ports: TeamPorts,
                  change: Callable[[TeamProgramme], None]) -> None:
    programme = await _programme(command.programme_id, envelope, ports)
    if programme is not None and programme.has_applied(envelope.id):
        return
    try:
        if programme is None:
            raise TeamRefusal("unknown_programme", UNKNOWN_PROGRAMME)
        change(programme)
    except TeamRefusal as refusal:
        await _reply(TeamChangeRefused(programme_id=command.programme_id, team_id=command.team_id,
                                       reason_code=cast(Any, refusal.code), reason=refusal.reason,
                                       breaches=refusal.breaches), envelope, ports)
        return
    await _save(programme, envelope, ports)


async def _programme(programme_id: object, envelope: Envelope, ports: TeamPorts) -> TeamProgramme | None:
    """The programme, if it is the caller's organisation's (another's answers like an unknown one)."""
    programme = await ports.programmes.get(str(programme_id))
    if programme is None or programme.organisation_id != envelope.organisationid:
        return None
    return programme


async def _save(programme: TeamProgramme, envelope: Envelope, ports: TeamPorts) -> None:
    programme.note(envelope.id)
    events, programme.events = programme.events, []
    await ports.programmes.save(programme, ports.factory.caused_by(envelope, events))
    log.info("team programme changed", programme_id=programme.programme_id, events=[type(e).__name__ for e in events])


async def _reply(event: Event, envelope: Envelope, ports: TeamPorts) -> None:
    if await ports.replies.reply(envelope, ports.factory.caused_by(envelope, [event])):
        log.info("team request refused", outcome=type(event).__name__)
