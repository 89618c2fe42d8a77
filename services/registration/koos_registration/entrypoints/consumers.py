"""Which messages registration consumes, and the handler of each."""

from collections.abc import Sequence

from koos_contracts.registration import CancelRegistration, RegisterParticipant, WithdrawConsent
from koos_contracts.scheduling import EditionPublished
from koos_contracts.topics import EDITIONS, REGISTRATION_COMMANDS
from koos_kit.messaging.subscription import Delivery, Subscription, Waiting, bind
from koos_registration.service_layer import handlers
from koos_registration.service_layer.handlers import Ports


def commands(ports: Ports) -> Subscription:
    """Registration's commands, decided a batch at a time; a command it does not know goes to the DLQ."""

    async def decide(deliveries: Sequence[Delivery]) -> Sequence[Waiting]:
        return await handlers.decide(deliveries, ports)

    return Subscription(
        topics=(REGISTRATION_COMMANDS.name,),
        batch_handlers={RegisterParticipant.ce_type(): decide, CancelRegistration.ce_type(): decide,
                        WithdrawConsent.ce_type(): decide},
        dead_letter_unhandled=True,
    )


def editions(ports: Ports) -> Subscription:
    """Published editions open their offers."""
    return Subscription(topics=(EDITIONS.name,),
                        handlers={EditionPublished.ce_type(): bind(handlers.open_offer, ports)})
