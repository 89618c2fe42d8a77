"""Handlers of registration: seats first come, first served; the line moves up on every cancellation."""

from dataclasses import dataclass
from datetime import timedelta

from koos_contracts import Envelope
from koos_contracts.identity import person_id_for
from koos_contracts.registration import CancelRegistration, RegisterParticipant, RegistrationRefused
from koos_contracts.scheduling import EditionPublished
from koos_contracts.values import Participant
from koos_kit.clock import Clock
from koos_kit.errors import RetryLater
from koos_kit.events import EventFactory
from koos_kit.logging import get_logger
from koos_kit.ports import Publisher
from koos_registration.domain.offer import UNKNOWN_EDITION, Offer, Refusal
from koos_registration.domain.registration import Registration
from koos_registration.service_layer.ports import Registrations, Seats

log = get_logger("koos.registration")


@dataclass(frozen=True)
class Ports:
    """Everything a handler may touch."""

    seats: Seats
    registrations: Registrations
    publisher: Publisher
    clock: Clock
    factory: EventFactory
    unknown_edition_grace: timedelta = timedelta(seconds=30)


class EditionNotYetKnown(RetryLater):
    """A registration arrived before its edition's publication did; it is redelivered shortly."""


async def open_offer(event: EditionPublished, envelope: Envelope, ports: Ports) -> None:
    """Learn an edition's seats and registration window."""
    await ports.seats.add_offer(Offer(str(event.edition_id), envelope.organisationid, event.capacity,
                                      event.registration_opens_at, event.registration_closes_at))


async def register(command: RegisterParticipant, envelope: Envelope, ports: Ports) -> None:
    """Confirm within capacity, else put in line; registering again changes nothing."""
    participant = Participant(person_id=person_id_for(envelope.organisationid, command.person.email),
                              **command.person.model_dump())
    offer = await ports.seats.offer(str(command.edition_id))
    if offer is None and envelope.time > ports.clock.now() - ports.unknown_edition_grace:
        raise EditionNotYetKnown(str(command.edition_id))
    refusal = _refusal(offer, envelope)
    registration = await ports.registrations.get(str(command.registration_id))
    if registration is not None and registration.is_active:
        return
    if refusal is not None:
        await _refuse(command, participant, refusal, envelope, ports)
        return
    registration = registration or Registration(command.registration_id, command.edition_id,
                                                envelope.organisationid, participant)
    registration.participant = participant
    await _decide(registration, ports)
    await ports.registrations.save(registration, ports.factory.caused_by(envelope, registration.events))


async def cancel(command: CancelRegistration, envelope: Envelope, ports: Ports) -> None:
    """Cancel a registration or leave the line; the first in line gets the freed seat."""
    registration = await ports.registrations.get(str(command.registration_id))
    if registration is None or registration.organisation_id != envelope.organisationid:
        log.info("cancellation of an unknown registration ignored")
        return
    if registration.is_active:
        if registration.status == "waiting":
            await ports.seats.leave_line(str(registration.edition_id), _occasion(registration))
        registration.cancel(ports.clock.now())
        await ports.registrations.save(registration, ports.factory.caused_by(envelope, registration.events))
    await ports.seats.release(str(registration.edition_id), str(registration.registration_id))
    await fill_free_seats(str(registration.edition_id), envelope, ports)


async def fill_free_seats(edition_id: str, cause: Envelope, ports: Ports) -> None:
    """Promote people in line while seats are free, finishing promotions a crash interrupted."""
    holders = await ports.seats.holders(edition_id)
    for registration in await ports.registrations.waiting_among(edition_id, holders):
        await _promote(registration, cause, ports)
    while (waiting := await ports.registrations.first_waiting(edition_id, holders)) is not None:
        if not await ports.seats.take(edition_id, str(waiting.registration_id)):
            return
        holders.append(str(waiting.registration_id))
        await _promote(waiting, cause, ports)


async def _decide(registration: Registration, ports: Ports) -> None:
    edition_id, now = str(registration.edition_id), ports.clock.now()
    if await ports.seats.take(edition_id, str(registration.registration_id)):
        registration.confirm(now)
        return
    place = await ports.seats.join_line(edition_id, _occasion(registration))
    registration.waitlist(place.queue_number, place.position, now)


def _occasion(registration: Registration) -> str:
    """Names one change of one registration, so that a redo of it is recognised."""
    return f"{registration.registration_id}:{registration.version}"


async def _promote(registration: Registration, cause: Envelope, ports: Ports) -> None:
    await ports.seats.leave_line(str(registration.edition_id), _occasion(registration))
    registration.promote(ports.clock.now())
    await ports.registrations.save(registration, ports.factory.caused_by(cause, registration.events))
    log.info("promoted from the waiting list", registration_id=str(registration.registration_id))


def _refusal(offer: Offer | None, envelope: Envelope) -> Refusal | None:
    if offer is None or offer.organisation_id != envelope.organisationid:
        return UNKNOWN_EDITION
    return offer.refusal_at(envelope.time)


async def _refuse(command: RegisterParticipant, participant: Participant, refusal: Refusal, envelope: Envelope,
                  ports: Ports) -> None:
    log.info("registration refused", reason_code=refusal.code)
    event = RegistrationRefused(registration_id=command.registration_id, edition_id=command.edition_id,
                                participant=participant, reason_code=refusal.code, reason=refusal.reason)
    await ports.publisher.publish(ports.factory.caused_by(envelope, [event]))
