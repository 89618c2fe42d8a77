"""Which events the gateway's read models consume, and the handler of each."""

from koos_contracts.evaluation import FeedbackRecorded, FeedbackRefused, SurveyOpened, SurveyResultsUpdated
from koos_contracts.registration import (
    RegistrationCancelled,
    RegistrationConfirmed,
    RegistrationPromoted,
    RegistrationRefused,
    RegistrationWaitlisted,
)
from koos_contracts.scheduling import (
    EditionPublicationRefused,
    EditionPublished,
    ScheduleChangeRefused,
    SessionCancelled,
    SessionRescheduled,
)
from koos_contracts.topics import EDITIONS, REGISTRATIONS, SURVEYS
from koos_gateway.service_layer import projections
from koos_gateway.service_layer import registration_projection as registrations
from koos_gateway.service_layer.unit import Ports
from koos_kit.messaging.dispatcher import Subscription, bind


def subscription(ports: Ports) -> Subscription:
    """Events of scheduling, registration and evaluation; other types on those topics are ignored."""
    return Subscription(
        topics=(EDITIONS.name, REGISTRATIONS.name, SURVEYS.name),
        handlers={
            EditionPublished.ce_type(): bind(projections.edition_published, ports),
            EditionPublicationRefused.ce_type(): bind(projections.refused, ports),
            SessionRescheduled.ce_type(): bind(projections.session_rescheduled, ports),
            SessionCancelled.ce_type(): bind(projections.session_cancelled, ports),
            ScheduleChangeRefused.ce_type(): bind(projections.refused, ports),
            RegistrationConfirmed.ce_type(): bind(registrations.confirmed, ports),
            RegistrationWaitlisted.ce_type(): bind(registrations.waitlisted, ports),
            RegistrationPromoted.ce_type(): bind(registrations.promoted, ports),
            RegistrationCancelled.ce_type(): bind(registrations.cancelled, ports),
            RegistrationRefused.ce_type(): bind(registrations.refused, ports),
            FeedbackRecorded.ce_type(): bind(projections.feedback_recorded, ports),
            FeedbackRefused.ce_type(): bind(projections.refused, ports),
            SurveyOpened.ce_type(): bind(projections.survey_opened, ports),
            SurveyResultsUpdated.ce_type(): bind(projections.survey_results_updated, ports),
        },
        dead_letter_unhandled=False,
    )
