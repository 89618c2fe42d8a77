"""Which messages scheduling consumes, and the handler of each."""

from koos_contracts.jury import MentoringStarted
from koos_contracts.programmes import AdvanceProgramme, DateWorkshop, DraftProgramme, PlanWorkshops
from koos_contracts.scheduling import CancelSession, MarkSessionHeld, PublishEdition, RescheduleSession
from koos_contracts.topics import SCHEDULING_COMMANDS, SELECTIONS
from koos_kit.messaging.subscription import Subscription, bind
from koos_scheduling.service_layer import handlers, mentoring, programmes
from koos_scheduling.service_layer.handlers import Ports
from koos_scheduling.service_layer.programmes import ProgrammePorts


def subscription(ports: Ports, programme_ports: ProgrammePorts) -> Subscription:
    """Scheduling's commands; a command it does not know goes to the DLQ."""
    return Subscription(
        topics=(SCHEDULING_COMMANDS.name,),
        handlers={
            PublishEdition.ce_type(): bind(handlers.publish_edition, ports),
            RescheduleSession.ce_type(): bind(handlers.reschedule_session, ports),
            CancelSession.ce_type(): bind(handlers.cancel_session, ports),
            MarkSessionHeld.ce_type(): bind(handlers.mark_session_held, ports),
            DraftProgramme.ce_type(): bind(programmes.draft_programme, programme_ports),
            AdvanceProgramme.ce_type(): bind(programmes.advance_programme, programme_ports),
            PlanWorkshops.ce_type(): bind(programmes.plan_workshops, programme_ports),
            DateWorkshop.ce_type(): bind(programmes.date_workshop, programme_ports),
        },
        dead_letter_unhandled=True,
    )


def facts(ports: Ports) -> Subscription:
    """The selected institutions moving into mentoring; other events on the topic are ignored."""
    return Subscription(topics=(SELECTIONS.name,),
                        handlers={MentoringStarted.ce_type(): bind(mentoring.mentoring_started, ports)},
                        dead_letter_unhandled=False)
