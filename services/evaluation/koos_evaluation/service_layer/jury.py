"""Handlers of the jury: the organiser's commands, jurors' scores, and the admitted applications it learns.

A round is one document per edition that remembers the commands it applied, so a command consumed again changes
nothing and says nothing new. A refusal changes nothing and goes out through the replies, once per command.
"""

from typing import Any

from koos_contracts import Envelope
from koos_contracts import jury as messages
from koos_contracts.applications import ApplicationAdmitted
from koos_contracts.base import Event
from koos_evaluation.domain.jury_round import JuryRound
from koos_evaluation.service_layer.ports import Ports, Rounds
from koos_kit.logging import get_logger

log = get_logger("koos.evaluation.jury")

JuryCommand = (messages.DefineJury | messages.AppointJuror | messages.AssignJury | messages.ScoreApplication
               | messages.RemindJurors | messages.CloseScoring | messages.AppointMentor | messages.ReleaseSelection
               | messages.RecordMilestone)


def _decide(command: JuryCommand, round_: JuryRound, envelope: Envelope, ports: Ports) -> Event:
    now = ports.clock.now()
    match command:
        case messages.DefineJury():
            return round_.define(command)
        case messages.AppointJuror():
            return round_.appoint_juror(command)
        case messages.AssignJury():
            return round_.assign()
        case messages.ScoreApplication():
            return round_.score(command, envelope.time)
        case messages.RemindJurors():
            return round_.remind()
        case messages.CloseScoring():
            return round_.close(now)
        case messages.AppointMentor():
            return round_.appoint_mentor(command)
        case messages.RecordMilestone():
            return round_.record_milestone(command, envelope.time)
        case _:
            return round_.release(now)


def _unknown(command: JuryCommand) -> Event:
    if isinstance(command, messages.ScoreApplication):
        return messages.ScoreRefused(edition_id=command.edition_id, application_id=command.application_id,
                                     juror_id=command.juror_id, reason_code="no_jury", reason="no such edition")
    return messages.JuryCommandRefused(edition_id=command.edition_id, command=NAMES[type(command)],
                                       reason_code="unknown_edition", reason="no such edition")


NAMES: dict[type, Any] = {messages.DefineJury: "define", messages.AppointJuror: "appoint_juror",
                          messages.AssignJury: "assign", messages.RemindJurors: "remind",
                          messages.CloseScoring: "close", messages.AppointMentor: "appoint_mentor",
                          messages.ReleaseSelection: "release", messages.RecordMilestone: "record_milestone"}


async def handle(command: JuryCommand, envelope: Envelope, ports: Ports) -> None:
    """Apply an organiser's or a juror's command to the edition's round, once, and answer it."""
    rounds = _rounds(ports)
    round_ = await rounds.get(command.edition_id) or JuryRound(command.edition_id, envelope.organisationid)
    if envelope.id in round_.commands:
        return
    if round_.organisation_id != envelope.organisationid:
        outcome = _unknown(command)
    else:
        outcome = _decide(command, round_, envelope, ports)
    if not round_.events:
        await ports.replies.reply(envelope, ports.factory.caused_by(envelope, [outcome]))
        log.info("jury command refused", command=type(command).__name__, edition_id=str(command.edition_id))
        return
    round_.commands.append(envelope.id)
    await rounds.save(round_, ports.factory.caused_by(envelope, round_.events))
    log.info("jury command applied", command=type(command).__name__, edition_id=str(command.edition_id))


async def application_admitted(event: ApplicationAdmitted, envelope: Envelope, ports: Ports) -> None:
    """An admitted application goes before the edition's jury."""
    rounds = _rounds(ports)
    round_ = await rounds.get(event.edition_id) or JuryRound(event.edition_id, envelope.organisationid)
    if round_.organisation_id != envelope.organisationid or not round_.admit(event):
        return
    await rounds.save(round_, [])
    log.info("application before the jury", edition_id=str(event.edition_id), applications=len(round_.applications))


def _rounds(ports: Ports) -> Rounds:
    if ports.rounds is None:
        raise RuntimeError("evaluation was started without its rounds store")
    return ports.rounds
