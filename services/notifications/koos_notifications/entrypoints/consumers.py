"""Which events notifications consumes, and the handler of each; other events on those topics are ignored."""

from koos_contracts.evaluation import SurveyOpened
from koos_contracts.notifications import ResendLinks
from koos_contracts.registration import (
    RegistrationCancelled,
    RegistrationConfirmed,
    RegistrationPromoted,
    RegistrationWaitlisted,
)
from koos_contracts.scheduling import EditionPublished, SessionCancelled, SessionRescheduled
from koos_contracts.topics import EDITIONS, NOTIFICATION_COMMANDS, REGISTRATIONS, SURVEYS
from koos_kit.messaging.subscription import Subscription, bind
from koos_notifications.service_layer import editions, feedback, registrations, resending
from koos_notifications.service_layer.ports import Ports
from koos_notifications.service_layer.resending import ResendPorts


def subscription(ports: Ports) -> Subscription:
    """Editions, registrations and surveys: the facts people are told about."""
    return Subscription(
        topics=(EDITIONS.name, REGISTRATIONS.name, SURVEYS.name),
        handlers={
            EditionPublished.ce_type(): bind(editions.edition_published, ports),
            SessionRescheduled.ce_type(): bind(editions.session_rescheduled, ports),
            SessionCancelled.ce_type(): bind(editions.session_cancelled, ports),
            RegistrationConfirmed.ce_type(): bind(registrations.registration_confirmed, ports),
            RegistrationWaitlisted.ce_type(): bind(registrations.registration_waitlisted, ports),
            RegistrationPromoted.ce_type(): bind(registrations.registration_promoted, ports),
            RegistrationCancelled.ce_type(): bind(registrations.registration_cancelled, ports),
            SurveyOpened.ce_type(): bind(feedback.survey_opened, ports),
        },
        dead_letter_unhandled=False,
    )


def commands(ports: ResendPorts) -> Subscription:
    """Notifications' commands: a person asks for their links again; an unknown command goes to the DLQ."""
    return Subscription(
        topics=(NOTIFICATION_COMMANDS.name,),
        handlers={ResendLinks.ce_type(): bind(resending.resend_links, ports)},
        dead_letter_unhandled=True,
    )
