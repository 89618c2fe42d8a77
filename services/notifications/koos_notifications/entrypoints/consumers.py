"""Which events notifications consumes, and the handler of each; other events on those topics are ignored.

Registration events are handled a consumed batch at a time (the events it ignores there too, so that they do not
split a batch).
"""

from collections.abc import Sequence

from koos_contracts import applications as apps
from koos_contracts import jury
from koos_contracts.evaluation import SurveyOpened
from koos_contracts.notifications import ResendLinks
from koos_contracts.personal_data import PersonalDataExportReady
from koos_contracts.programmes import ProgrammeDrafted, WorkshopDated
from koos_contracts.registration import (
    CancellationRefused,
    RegistrationCancelled,
    RegistrationConfirmed,
    RegistrationPromoted,
    RegistrationRefused,
    RegistrationUnchanged,
    RegistrationWaitlisted,
    SeatsChanged,
)
from koos_contracts.scheduling import EditionPublished, SessionCancelled, SessionRescheduled
from koos_contracts.teams import (
    TeamAccepted,
    TeamApplied,
    TeamDeclined,
    TeamMemberReplaced,
    TeamProgrammeDefined,
    TeamRefused,
    TeamWaitlisted,
)
from koos_contracts.topics import (
    APPLICATIONS,
    EDITIONS,
    NOTIFICATION_COMMANDS,
    PRIVACY_ANSWERS,
    REGISTRATIONS,
    SELECTIONS,
    SURVEYS,
    TEAMS,
)
from koos_kit.messaging.subscription import Delivery, Subscription, Waiting, bind
from koos_notifications.service_layer import editions, feedback, registrations, resending, selections, team_mails
from koos_notifications.service_layer.ports import Ports
from koos_notifications.service_layer.resending import ResendPorts

REGISTRATION_EVENTS = (RegistrationConfirmed, RegistrationWaitlisted, RegistrationPromoted, RegistrationCancelled,
                       RegistrationRefused, RegistrationUnchanged, CancellationRefused, SeatsChanged)


def subscription(ports: Ports) -> Subscription:
    """Editions, registrations, teams, surveys and selections: the facts people are told about; and the exports
    people asked for, once ready (the other answers on the privacy topic are the gateway's)."""

    async def registrations_changed(deliveries: Sequence[Delivery]) -> Sequence[Waiting]:
        return await registrations.registrations_changed(deliveries, ports)

    return Subscription(
        topics=(EDITIONS.name, REGISTRATIONS.name, TEAMS.name, SURVEYS.name, APPLICATIONS.name, SELECTIONS.name,
                PRIVACY_ANSWERS.name),
        handlers={
            EditionPublished.ce_type(): bind(editions.edition_published, ports),
            SessionRescheduled.ce_type(): bind(editions.session_rescheduled, ports),
            SessionCancelled.ce_type(): bind(editions.session_cancelled, ports),
            SurveyOpened.ce_type(): bind(feedback.survey_opened, ports),
            TeamProgrammeDefined.ce_type(): bind(team_mails.programme_defined, ports),
            ProgrammeDrafted.ce_type(): bind(team_mails.programme_drafted, ports),
            WorkshopDated.ce_type(): bind(team_mails.workshop_dated, ports),
            TeamApplied.ce_type(): bind(team_mails.team_applied, ports),
            TeamRefused.ce_type(): bind(team_mails.team_refused, ports),
            TeamMemberReplaced.ce_type(): bind(team_mails.member_replaced, ports),
            **{event.ce_type(): bind(team_mails.team_decided, ports)
               for event in (TeamAccepted, TeamWaitlisted, TeamDeclined)},
            **{e.ce_type(): bind(selections.application_changed, ports)
               for e in (apps.InstitutionApplied, apps.ApplicationAdmitted, apps.ApplicationDeclined)},
            jury.JurorsReminded.ce_type(): bind(selections.jurors_reminded, ports),
            jury.SelectionReleased.ce_type(): bind(selections.selection_released, ports),
            jury.MentoringStarted.ce_type(): bind(selections.mentoring_started, ports),
            PersonalDataExportReady.ce_type(): bind(resending.export_ready, ports),
        },
        batch_handlers={event.ce_type(): registrations_changed for event in REGISTRATION_EVENTS},
        dead_letter_unhandled=False,
    )


def commands(ports: ResendPorts) -> Subscription:
    """Notifications' commands: a person asks for their links again; an unknown command goes to the DLQ."""
    return Subscription(
        topics=(NOTIFICATION_COMMANDS.name,),
        handlers={ResendLinks.ce_type(): bind(resending.resend_links, ports)},
        dead_letter_unhandled=True,
    )

