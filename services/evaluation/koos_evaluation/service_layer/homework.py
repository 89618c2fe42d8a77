"""Handlers of homework: the organiser sets it, a team member hands in a version, a trainer reviews it; and the
accepted teams evaluation learns from registration.

A programme's homework is one document that remembers the commands it applied, so a command consumed again
changes nothing and says nothing new. A refusal changes nothing and goes out through the replies, once.
"""

from koos_contracts import Envelope
from koos_contracts import homework as messages
from koos_contracts.base import Event
from koos_contracts.teams import TeamAccepted, TeamMemberReplaced
from koos_evaluation.domain.programme_homework import ProgrammeHomework
from koos_evaluation.service_layer.ports import HomeworkStore, Ports
from koos_kit.logging import get_logger

log = get_logger("koos.evaluation.homework")

HomeworkCommand = messages.SetHomework | messages.SubmitHomework | messages.ReviewHomework
REMEMBERED_COMMANDS = 2000
"""How many applied command ids a programme keeps (a redelivery comes long before that many more commands)."""


def _decide(command: HomeworkCommand, programme: ProgrammeHomework, envelope: Envelope) -> Event:
    match command:
        case messages.SetHomework():
            return programme.set(command)
        case messages.SubmitHomework():
            return programme.submit(command, envelope.time)
        case _:
            return programme.review(command, envelope.time)


def _not_theirs(command: HomeworkCommand) -> Event:
    name: messages.HomeworkCommandName = ("set" if isinstance(command, messages.SetHomework) else
                                          "submit" if isinstance(command, messages.SubmitHomework) else "review")
    return messages.HomeworkRefused(programme_id=command.programme_id, homework_key=command.homework_key,
                                    command=name, team_id=getattr(command, "team_id", None),
                                    reason_code="unknown_programme", reason="no such programme")


async def handle(command: HomeworkCommand, envelope: Envelope, ports: Ports) -> None:
    """Apply a homework command to its programme, once, and answer it with exactly one outcome."""
    store = _store(ports)
    programme_id = str(command.programme_id)
    programme = await store.get(programme_id) or ProgrammeHomework(programme_id, envelope.organisationid)
    if envelope.id in programme.commands:
        return
    if programme.organisation_id != envelope.organisationid:
        outcome = _not_theirs(command)
    else:
        outcome = _decide(command, programme, envelope)
    if not programme.events:
        await ports.replies.reply(envelope, ports.factory.caused_by(envelope, [outcome]))
        log.info("homework command refused", command=type(command).__name__, programme_id=programme_id)
        return
    programme.commands = [*programme.commands, envelope.id][-REMEMBERED_COMMANDS:]
    await store.save(programme, ports.factory.caused_by(envelope, programme.events))
    log.info("homework command applied", command=type(command).__name__, programme_id=programme_id)


async def team_changed(event: TeamAccepted | TeamMemberReplaced, envelope: Envelope, ports: Ports) -> None:
    """An accepted team (or a new member of one) gets the programme's homework."""
    store = _store(ports)
    programme_id = str(event.programme_id)
    programme = await store.get(programme_id) or ProgrammeHomework(programme_id, envelope.organisationid)
    team_id = str(event.team_id)
    if programme.organisation_id != envelope.organisationid:
        return
    if isinstance(event, TeamMemberReplaced) and team_id not in programme.teams:
        return  # a team not accepted has no homework
    if programme.team_accepted(team_id, tuple(m.participant.person_id for m in event.members)):
        await store.save(programme, [])
        log.info("team has the programme's homework", programme_id=programme_id, teams=len(programme.teams))


def _store(ports: Ports) -> HomeworkStore:
    if ports.homework is None:
        raise RuntimeError("evaluation was started without its homework store")
    return ports.homework
