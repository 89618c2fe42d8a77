"""Which events the gateway's read models consume, and the handler of each."""

from collections.abc import Sequence

from koos_contracts.evaluation import FeedbackRecorded, FeedbackRefused, SurveyOpened, SurveyResultsUpdated
from koos_contracts.notifications import LinksResent, NotificationFailed, NotificationSent
from koos_contracts.personal_data import PersonalDataErased, PersonalDataExported
from koos_contracts.registration import (
    CancellationRefused,
    ConsentWithdrawalRefused,
    ConsentWithdrawn,
    RegistrationCancelled,
    RegistrationConfirmed,
    RegistrationPromoted,
    RegistrationRefused,
    RegistrationUnchanged,
    RegistrationWaitlisted,
    SeatsChanged,
)
from koos_contracts.scheduling import (
    EditionPublicationRefused,
    EditionPublished,
    EditionUnchanged,
    ScheduleChangeRefused,
    SessionCancelled,
    SessionEnded,
    SessionRescheduled,
)
from koos_contracts.topics import DELIVERIES, EDITIONS, PRIVACY_ANSWERS, REGISTRATIONS, SURVEYS
from koos_gateway.service_layer import ledgers, privacy, projections, registration_projection
from koos_gateway.service_layer.unit import Ports
from koos_kit.messaging.subscription import Delivery, Subscription, Waiting, bind

REGISTRATION_EVENTS = (RegistrationConfirmed, RegistrationWaitlisted, RegistrationPromoted, RegistrationCancelled,
                       RegistrationRefused, RegistrationUnchanged, CancellationRefused, SeatsChanged, ConsentWithdrawn,
                       ConsentWithdrawalRefused)


def subscription(ports: Ports) -> Subscription:
    """Events of scheduling, registration, evaluation and notifications; registration's a batch at a time."""

    async def project_registrations(deliveries: Sequence[Delivery]) -> Sequence[Waiting]:
        return await registration_projection.project(deliveries, ports)

    return Subscription(
        topics=(EDITIONS.name, REGISTRATIONS.name, SURVEYS.name, DELIVERIES.name, PRIVACY_ANSWERS.name),
        handlers={
            EditionPublished.ce_type(): bind(projections.edition_published, ports),
            EditionPublicationRefused.ce_type(): bind(projections.answered, ports),
            EditionUnchanged.ce_type(): bind(projections.answered, ports),
            SessionRescheduled.ce_type(): bind(projections.session_rescheduled, ports),
            SessionCancelled.ce_type(): bind(projections.session_cancelled, ports),
            ScheduleChangeRefused.ce_type(): bind(projections.answered, ports),
            FeedbackRecorded.ce_type(): bind(projections.feedback_recorded, ports),
            FeedbackRefused.ce_type(): bind(projections.answered, ports),
            SurveyOpened.ce_type(): bind(projections.survey_opened, ports),
            SurveyResultsUpdated.ce_type(): bind(projections.survey_results_updated, ports),
            SessionEnded.ce_type(): bind(ledgers.session_ended, ports),
            NotificationSent.ce_type(): bind(ledgers.notification_sent, ports),
            NotificationFailed.ce_type(): bind(ledgers.notification_failed, ports),
            LinksResent.ce_type(): bind(ledgers.links_resent, ports),
            PersonalDataExported.ce_type(): bind(privacy.part_exported, ports),
            PersonalDataErased.ce_type(): bind(privacy.erasure_confirmed, ports),
        },
        batch_handlers={event.ce_type(): project_registrations for event in REGISTRATION_EVENTS},
        dead_letter_unhandled=False,
    )
