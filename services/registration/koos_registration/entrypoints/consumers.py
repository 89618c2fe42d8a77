"""Which messages registration consumes, and the handler of each."""

from koos_contracts.registration import CancelRegistration, RegisterParticipant
from koos_contracts.scheduling import EditionPublished
from koos_contracts.topics import EDITIONS, REGISTRATION_COMMANDS
from koos_kit.messaging.dispatcher import Subscription, bind
from koos_registration.service_layer import handlers
from koos_registration.service_layer.handlers import Ports


def commands(ports: Ports) -> Subscription:
    """Registration's commands; a command it does not know goes to the DLQ."""
    return Subscription(
        topics=(REGISTRATION_COMMANDS.name,),
        handlers={
            RegisterParticipant.ce_type(): bind(handlers.register, ports),
            CancelRegistration.ce_type(): bind(handlers.cancel, ports),
        },
        dead_letter_unhandled=True,
    )


def editions(ports: Ports) -> Subscription:
    """Published editions open their offers."""
    return Subscription(topics=(EDITIONS.name,),
                        handlers={EditionPublished.ce_type(): bind(handlers.open_offer, ports)})
