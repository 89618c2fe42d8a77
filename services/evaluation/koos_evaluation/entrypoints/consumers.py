"""Which messages evaluation consumes, and the handler of each."""

from koos_contracts.evaluation import SubmitFeedback
from koos_contracts.registration import RegistrationCancelled, RegistrationConfirmed, RegistrationPromoted
from koos_contracts.scheduling import EditionPublished, SessionEnded
from koos_contracts.topics import EDITIONS, EVALUATION_COMMANDS, REGISTRATIONS
from koos_evaluation.service_layer import feedback, handlers
from koos_evaluation.service_layer.ports import Ports
from koos_kit.messaging.subscription import Subscription, bind


def facts(ports: Ports) -> Subscription:
    """Editions and registrations: the facts a survey is made of; other events on those topics are ignored."""
    return Subscription(
        topics=(EDITIONS.name, REGISTRATIONS.name),
        handlers={
            EditionPublished.ce_type(): bind(handlers.learn_edition, ports),
            SessionEnded.ce_type(): bind(handlers.open_after_last_session, ports),
            RegistrationConfirmed.ce_type(): bind(handlers.enrol_participant, ports),
            RegistrationPromoted.ce_type(): bind(handlers.enrol_participant, ports),
            RegistrationCancelled.ce_type(): bind(handlers.withdraw_participant, ports),
        },
        dead_letter_unhandled=False,
    )


def commands(ports: Ports) -> Subscription:
    """Evaluation's commands; a command it does not know goes to the DLQ."""
    return Subscription(
        topics=(EVALUATION_COMMANDS.name,),
        handlers={SubmitFeedback.ce_type(): bind(feedback.submit_feedback, ports)},
        dead_letter_unhandled=True,
    )
