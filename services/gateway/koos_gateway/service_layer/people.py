"""The people of an edition for its organisers: who holds a seat, who waits, who left, and their mails."""

from dataclasses import dataclass

from koos_gateway.domain.access import ORGANISER, TRAINER, Caller
from koos_gateway.domain.ledgers import DeliveryView
from koos_gateway.service_layer import audit, registrations
from koos_gateway.service_layer.registrations import Placed, Roster
from koos_gateway.service_layer.unit import Ports


@dataclass(frozen=True)
class FullRoster:
    """The roster with the cancelled registrations, and everyone's mails by person id."""

    roster: Roster
    cancelled: list[Placed]
    mails: dict[str, list[DeliveryView]]


async def full_roster(edition_id: str, caller: Caller, ports: Ports) -> FullRoster:
    """Confirmed, waiting in order, cancelled (the latest first), each with their mails."""
    roster = await registrations.roster(edition_id, caller, ports)
    cancelled = sorted(await ports.ledgers.cancelled.of_edition(edition_id), key=lambda r: r.occurred_at,
                       reverse=True)
    await audit.accessed(caller, "roster.read", cancelled, ports)
    mails: dict[str, list[DeliveryView]] = {}
    for delivery in sorted(await ports.ledgers.deliveries.of_edition(edition_id), key=lambda d: d.at):
        mails.setdefault(delivery.person_id, []).append(delivery)
    return FullRoster(roster, [Placed(r, None) for r in cancelled], mails)


async def mail_log(registration_id: str, caller: Caller, ports: Ports) -> list[DeliveryView]:
    """Every mail a person got about the edition of one registration: delivered, in doubt or failed."""
    caller.require(ORGANISER, TRAINER)
    registration = await registrations.visible_registration(registration_id, caller, ports)
    await audit.accessed(caller, "mail_log.read", [registration], ports)
    return await ports.ledgers.deliveries.of_person(registration.edition_id, registration.person_id)
