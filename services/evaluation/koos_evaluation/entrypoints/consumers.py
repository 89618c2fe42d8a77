"""Which messages evaluation consumes, and the handler of each."""

from koos_contracts.applications import ApplicationAdmitted
from koos_contracts.base import Command
from koos_contracts.evaluation import SubmitFeedback
from koos_contracts.homework import OUTCOMES as HOMEWORK_OUTCOMES
from koos_contracts.jury import OUTCOMES as JURY_OUTCOMES
from koos_contracts.registration import RegistrationCancelled, RegistrationConfirmed, RegistrationPromoted
from koos_contracts.scheduling import EditionPublished, SessionEnded
from koos_contracts.teams import TeamAccepted, TeamMemberReplaced
from koos_contracts.topics import APPLICATIONS, EDITIONS, EVALUATION_COMMANDS, REGISTRATIONS, TEAMS
from koos_evaluation.service_layer import feedback, handlers, homework, jury
from koos_evaluation.service_layer.ports import Ports
from koos_kit.messaging.subscription import Subscription, bind

JURY_COMMANDS: tuple[type[Command], ...] = tuple(JURY_OUTCOMES)
HOMEWORK_COMMANDS: tuple[type[Command], ...] = tuple(HOMEWORK_OUTCOMES)


def facts(ports: Ports) -> Subscription:
    """Editions, registrations, applications and teams: the facts surveys, juries and homework are made of; other
    events on those topics are ignored."""
    return Subscription(
        topics=(EDITIONS.name, REGISTRATIONS.name, APPLICATIONS.name, TEAMS.name),
        handlers={
            EditionPublished.ce_type(): bind(handlers.learn_edition, ports),
            SessionEnded.ce_type(): bind(handlers.open_after_last_session, ports),
            RegistrationConfirmed.ce_type(): bind(handlers.enrol_participant, ports),
            RegistrationPromoted.ce_type(): bind(handlers.enrol_participant, ports),
            RegistrationCancelled.ce_type(): bind(handlers.withdraw_participant, ports),
            ApplicationAdmitted.ce_type(): bind(jury.application_admitted, ports),
            TeamAccepted.ce_type(): bind(homework.team_changed, ports),
            TeamMemberReplaced.ce_type(): bind(homework.team_changed, ports),
        },
        dead_letter_unhandled=False,
    )


def commands(ports: Ports) -> Subscription:
    """Evaluation's commands; a command it does not know goes to the DLQ."""
    return Subscription(
        topics=(EVALUATION_COMMANDS.name,),
        handlers={SubmitFeedback.ce_type(): bind(feedback.submit_feedback, ports),
                  **{command.ce_type(): bind(jury.handle, ports) for command in JURY_COMMANDS},
                  **{command.ce_type(): bind(homework.handle, ports) for command in HOMEWORK_COMMANDS}},
        dead_letter_unhandled=True,
    )
