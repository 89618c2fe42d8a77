"""Which events the gateway's read models consume, and the handler of each."""

from collections.abc import Sequence

from koos_contracts import applications as apps
from koos_contracts import homework as hw
from koos_contracts import jury
from koos_contracts.evaluation import FeedbackRecorded, FeedbackRefused, SurveyOpened, SurveyResultsUpdated
from koos_contracts.notifications import LinksResent, NotificationFailed, NotificationSent
from koos_contracts.personal_data import PersonalDataErased, PersonalDataExported
from koos_contracts.programmes import (
    ProgrammeAdvanced,
    ProgrammeDrafted,
    ProgrammeRefused,
    WorkshopDated,
    WorkshopsPlanned,
)
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
from koos_contracts.teams import (
    TeamAccepted,
    TeamApplied,
    TeamChangeRefused,
    TeamDeclined,
    TeamMemberReplaced,
    TeamProgrammeDefined,
    TeamProgrammeRefused,
    TeamRefused,
    TeamUnchanged,
    TeamWaitlisted,
)
from koos_contracts.topics import (
    APPLICATIONS,
    DELIVERIES,
    EDITIONS,
    HOMEWORK,
    PRIVACY_ANSWERS,
    REGISTRATIONS,
    SELECTIONS,
    SURVEYS,
    TEAMS,
)
from koos_gateway.service_layer import (
    homework,
    ledgers,
    privacy,
    programmes,
    projections,
    registration_projection,
    selection_projection,
    team_projection,
)
from koos_gateway.service_layer.unit import Ports
from koos_kit.messaging.subscription import Delivery, Handler, Subscription, Waiting, bind

REGISTRATION_EVENTS = (RegistrationConfirmed, RegistrationWaitlisted, RegistrationPromoted, RegistrationCancelled,
                       RegistrationRefused, RegistrationUnchanged, CancellationRefused, SeatsChanged, ConsentWithdrawn,
                       ConsentWithdrawalRefused)
DELIVERY_EVENTS = (NotificationSent, NotificationFailed)

APPLICATION_FACTS = (apps.InstitutionApplied, apps.ApplicationAdmitted, apps.ApplicationDeclined)
ANSWERS = (apps.ApplicationRefused, apps.ApplicationDecisionRefused, apps.ApplicationUnchanged,
           jury.JuryCommandRefused, jury.ScoreRefused, jury.JurorAppointed, jury.MentorAppointed,
           jury.ApplicationScored)


def subscription(ports: Ports) -> Subscription:
    """Events of scheduling, registration, evaluation and notifications; registration's and the mails' outcomes a
    batch at a time."""

    async def project_registrations(deliveries: Sequence[Delivery]) -> Sequence[Waiting]:
        return await registration_projection.project(deliveries, ports)

    async def record_deliveries(deliveries: Sequence[Delivery]) -> Sequence[Waiting]:
        return await ledgers.deliveries(deliveries, ports)

    return Subscription(
        topics=(EDITIONS.name, REGISTRATIONS.name, TEAMS.name, SURVEYS.name, DELIVERIES.name, APPLICATIONS.name,
                SELECTIONS.name, HOMEWORK.name, PRIVACY_ANSWERS.name),
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
            LinksResent.ce_type(): bind(ledgers.links_resent, ports),
            **team_handlers(ports),
            ProgrammeDrafted.ce_type(): bind(programmes.programme_drafted, ports),
            ProgrammeAdvanced.ce_type(): bind(programmes.programme_advanced, ports),
            WorkshopsPlanned.ce_type(): bind(programmes.workshops_planned, ports),
            WorkshopDated.ce_type(): bind(programmes.workshop_dated, ports),
            ProgrammeRefused.ce_type(): bind(team_projection.answered, ports),
            **{e.ce_type(): bind(selection_projection.application_changed, ports) for e in APPLICATION_FACTS},
            **{e.ce_type(): bind(selection_projection.jury_fact, ports) for e in selection_projection.KINDS},
            jury.MilestoneRecorded.ce_type(): bind(selection_projection.milestone_recorded, ports),
            **{e.ce_type(): bind(projections.answered, ports) for e in ANSWERS},
            **{e.ce_type(): bind(homework.homework_changed, ports)
               for e in (hw.HomeworkSet, hw.HomeworkSubmitted, hw.HomeworkReviewed)},
            hw.HomeworkRefused.ce_type(): bind(projections.answered, ports),
            PersonalDataExported.ce_type(): bind(privacy.part_exported, ports),
            PersonalDataErased.ce_type(): bind(privacy.erasure_confirmed, ports),
        },
        batch_handlers={**{event.ce_type(): project_registrations for event in REGISTRATION_EVENTS},
                        **{event.ce_type(): record_deliveries for event in DELIVERY_EVENTS}},
        dead_letter_unhandled=False,
    )


def team_handlers(ports: Ports) -> dict[str, Handler]:
    """Registration's team events: the team programmes read model, and the outcomes of team commands."""
    return {
        TeamProgrammeDefined.ce_type(): bind(team_projection.programme_defined, ports),
        TeamApplied.ce_type(): bind(team_projection.team_applied, ports),
        TeamAccepted.ce_type(): bind(team_projection.team_decided, ports),
        TeamWaitlisted.ce_type(): bind(team_projection.team_decided, ports),
        TeamDeclined.ce_type(): bind(team_projection.team_decided, ports),
        TeamMemberReplaced.ce_type(): bind(team_projection.member_replaced, ports),
        **{event.ce_type(): bind(team_projection.answered, ports)
           for event in (TeamProgrammeRefused, TeamRefused, TeamUnchanged, TeamChangeRefused)},
    }
