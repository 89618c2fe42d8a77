"""Handlers of registration: offers learnt from published editions, and batches of requests decided per edition.

Registration commands are keyed by edition, so one consumer owns an edition at a time: it reads the offer
once, decides the whole batch of that edition in memory (the desk) and writes it with one commit. A command
for an edition not known yet waits in the retry twin for its publication, for a grace period, and is then
refused; it never holds up the commands behind it.
"""

import asyncio
import dataclasses
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from koos_contracts import Envelope
from koos_contracts.registration import (
    CancellationRefused,
    CancelRegistration,
    ConsentWithdrawalRefused,
    RegisterParticipant,
    RegistrationRefused,
    WithdrawConsent,
)
from koos_contracts.scheduling import EditionPublished
from koos_contracts.values import Participant
from koos_kit.clock import Clock
from koos_kit.errors import RetryLater
from koos_kit.events import EventFactory
from koos_kit.logging import get_logger
from koos_kit.messaging.subscription import Delivery, Waiting
from koos_kit.ports import Replies
from koos_registration.domain.desk import Cancel, Desk, Line, LineNotLoaded, Register, Request, Withdraw
from koos_registration.domain.offer import UNKNOWN_EDITION, Offer
from koos_registration.domain.registration import Registration
from koos_registration.service_layer.ports import Applications, Book, Commit, StaleOffer

log = get_logger("koos.registration")

DECIDE_ATTEMPTS = 4


@dataclass(frozen=True)
class Ports:
    """Everything a handler may touch."""

    book: Book
    replies: Replies
    clock: Clock
    factory: EventFactory
    unknown_edition_grace: timedelta = timedelta(seconds=30)
    applications: Applications | None = None


async def open_offer(event: EditionPublished, envelope: Envelope, ports: Ports) -> None:
    """Learn an edition's seats and registration window, and say that its registration is ready."""
    offer = Offer(str(event.edition_id), envelope.organisationid, event.capacity, event.registration_opens_at,
                  event.registration_closes_at, ends_at=max((s.ends_at for s in event.sessions), default=None))
    await ports.book.add_offer(offer, ports.factory.caused_by(envelope, [offer.counted(sequence=0)]))


async def decide(deliveries: Sequence[Delivery], ports: Ports) -> list[Waiting]:
    """Decide a batch of registrations and cancellations: each edition's in the order they came, editions side by
    side (they share nothing)."""
    decided = await asyncio.gather(*(_decide_edition(edition_id, group, ports)
                                     for edition_id, group in _by_edition(deliveries).items()))
    return [w for waiting in decided for w in waiting]


async def _decide_edition(edition_id: str, group: list[Delivery], ports: Ports) -> list[Waiting]:
    offer = await ports.book.offer(edition_id)
    if offer is None:
        return await _without_offer(group, ports)
    await _decide_for(offer, group, ports)
    return []


async def _decide_for(offer: Offer, group: list[Delivery], ports: Ports) -> None:
    requests = [_request(d) for d in group]
    causes = {d.envelope.id: d.envelope for d in group}
    line_wanted = max(20, 2 * sum(isinstance(r, Cancel) for r in requests))
    for _ in range(DECIDE_ATTEMPTS):
        known = await ports.book.registrations({str(r.registration_id) for r in requests})
        line = await _line(offer, known, line_wanted, ports) if _may_promote(offer, requests) else _no_line(offer)
        desk = Desk(dataclasses.replace(offer), known, line, ports.clock.now())
        try:
            decided = desk.decide(requests)
        except LineNotLoaded:
            line_wanted *= 4
            continue
        if not decided.events:
            return
        envelopes = [e for command_id, events in decided.events
                     for e in ports.factory.caused_by(causes[command_id], events)]
        started = time.perf_counter()
        try:
            await ports.book.commit(Commit(desk.offer, list(decided.changed.values()), decided.joined, envelopes))
        except StaleOffer:
            log.info("offer changed meanwhile; deciding the batch again", edition_id=offer.edition_id)
            offer = await ports.book.offer(offer.edition_id) or offer
            continue
        log.debug("batch decided", edition_id=offer.edition_id, commands=len(requests), events=len(envelopes),
                  commit_ms=round(1000 * (time.perf_counter() - started), 1))
        return
    raise RetryLater(f"could not decide a batch for edition {offer.edition_id}")


def _may_promote(offer: Offer, requests: list[Request]) -> bool:
    return offer.in_line > 0 and any(isinstance(r, Cancel) for r in requests)


def _no_line(offer: Offer) -> Line:
    """Without cancellations nobody is promoted; an empty line is complete, so joiners may be promoted."""
    return Line((), complete=offer.in_line == 0)


async def _line(offer: Offer, known: dict[str, Registration], wanted: int, ports: Ports) -> Line:
    """The head of the line: enough entries from the line head to find `wanted` people still waiting."""
    entries = await ports.book.line(offer, wanted)
    missing = {registration_id for _, registration_id in entries} - known.keys()
    known.update(await ports.book.registrations(missing))
    head = [(number, known[registration_id]) for number, registration_id in entries if registration_id in known]
    return Line(head, complete=not entries or entries[-1][0] + 1 >= offer.next_queue_number)


async def _without_offer(group: list[Delivery], ports: Ports) -> list[Waiting]:
    """The edition is not known: wait for its publication a while, then refuse."""
    horizon = ports.clock.now() - ports.unknown_edition_grace
    waiting = [Waiting(d, "the edition is not known yet") for d in group if d.envelope.time > horizon]
    for delivery in group:
        if delivery.envelope.time <= horizon:
            await _refuse_unknown(delivery, ports)
    return waiting


async def _refuse_unknown(delivery: Delivery, ports: Ports) -> None:
    message, envelope = delivery.message, delivery.envelope
    if isinstance(message, RegisterParticipant):
        refusal: RegistrationRefused | CancellationRefused | ConsentWithdrawalRefused = RegistrationRefused(
            registration_id=message.registration_id, edition_id=message.edition_id,
            participant=_participant(message, envelope), reason_code=UNKNOWN_EDITION.code,
            reason=UNKNOWN_EDITION.reason)
    elif isinstance(message, WithdrawConsent):
        refusal = ConsentWithdrawalRefused(registration_id=message.registration_id, edition_id=message.edition_id,
                                           reason_code="unknown_registration", reason="no such registration")
    else:
        refusal = CancellationRefused(registration_id=message.registration_id, edition_id=message.edition_id,
                                      reason_code="unknown_registration", reason="no such registration")
    if await ports.replies.reply(envelope, ports.factory.caused_by(envelope, [refusal])):
        log.info("command for an unknown edition refused", edition_id=str(message.edition_id))


def _by_edition(deliveries: Sequence[Delivery]) -> dict[str, list[Delivery]]:
    groups: dict[str, list[Delivery]] = {}
    for delivery in deliveries:
        groups.setdefault(str(delivery.message.edition_id), []).append(delivery)
    return groups


def _request(delivery: Delivery) -> Request:
    message, envelope = delivery.message, delivery.envelope
    if isinstance(message, RegisterParticipant):
        return Register(envelope.id, envelope.time, envelope.organisationid,
                        message.registration_id_in(envelope.organisationid), _participant(message, envelope),
                        message.consent)
    if isinstance(message, CancelRegistration):
        return Cancel(envelope.id, envelope.time, envelope.organisationid, message.registration_id)
    if isinstance(message, WithdrawConsent):
        return Withdraw(envelope.id, envelope.time, envelope.organisationid, message.registration_id,
                        message.purposes)
    raise TypeError(f"registration does not decide {type(message).__name__}")


def _participant(command: RegisterParticipant, envelope: Envelope) -> Participant:
    """The person as registration knows them (their fields were validated with the command)."""
    return Participant.model_construct(person_id=command.person_id_in(envelope.organisationid),
                                       **command.person.model_dump(exclude={"subject_id"}))
