"""The team programmes read model, built from registration's team events; each outcome settles its command."""

from collections.abc import Callable
from dataclasses import replace

from koos_contracts import Envelope, Message
from koos_contracts.teams import (
    TeamAccepted,
    TeamApplied,
    TeamDeclined,
    TeamMemberReplaced,
    TeamProgrammeDefined,
    TeamStatus,
    TeamWaitlisted,
)
from koos_gateway.domain.teams import TeamProgrammeView, TeamView
from koos_gateway.service_layer.outcomes import settle
from koos_gateway.service_layer.unit import Ports
from koos_kit.logging import get_logger

log = get_logger("koos.gateway.teams")

Decided = TeamAccepted | TeamWaitlisted | TeamDeclined
Change = Callable[[TeamView | None], TeamView | None]
STATUS: dict[type, TeamStatus] = {TeamAccepted: "accepted", TeamWaitlisted: "waiting", TeamDeclined: "declined"}


async def programme_defined(event: TeamProgrammeDefined, envelope: Envelope, ports: Ports) -> None:
    """A programme takes team applications (or has a new rule)."""
    known = await ports.teams.get(str(event.programme_id))
    title = {str(language): text for language, text in event.title.items()}
    programme = TeamProgrammeView(str(event.programme_id), envelope.organisationid, title, event.timezone,
                                  event.places, event.rule, known.teams if known else ())
    await ports.teams.save(programme, envelope.id)
    await settle(envelope, event, ports)


async def team_applied(event: TeamApplied, envelope: Envelope, ports: Ports) -> None:
    """A team's application is in."""
    team = TeamView(str(event.team_id), event.name, event.ngo, event.idea, event.lead_person_id, event.members,
                    "applied", event.warnings)
    await _change(event, envelope, ports, lambda _: team)


async def team_decided(event: Decided, envelope: Envelope, ports: Ports) -> None:
    """The organiser accepted, let wait or declined a team."""
    status = STATUS[type(event)]
    await _change(event, envelope, ports, lambda team: replace(team, status=status) if team else None)


async def member_replaced(event: TeamMemberReplaced, envelope: Envelope, ports: Ports) -> None:
    """A member of a team was replaced."""
    def changed(team: TeamView | None) -> TeamView | None:
        if team is None:
            return None
        leader = team.lead_person_id
        if leader == event.left.participant.person_id:
            leader = event.joined.participant.person_id
        return replace(team, members=event.members, warnings=event.warnings, lead_person_id=leader)

    await _change(event, envelope, ports, changed)


async def answered(event: Message, envelope: Envelope, ports: Ports) -> None:
    """A refusal or a repeat: the waiting request learns so."""
    await settle(envelope, event, ports)


async def _change(event: TeamApplied | Decided | TeamMemberReplaced, envelope: Envelope, ports: Ports,
                  change: Change) -> None:
    programme = await ports.teams.get(str(event.programme_id))
    team = change(programme.team(str(event.team_id)) if programme else None)
    if programme is None or team is None:
        log.warning("team event for an unknown programme or team", programme_id=str(event.programme_id))
    else:
        await ports.teams.save(programme.with_team(team), envelope.id)
    await settle(envelope, event, ports)
