"""Use cases about registrations: signing up, cancelling, and who may see which."""

from dataclasses import dataclass
from uuid import UUID

from koos_contracts.identity import person_id_for, registration_id_of
from koos_contracts.registration import (
    CancelRegistration,
    Consent,
    OptionalPurpose,
    Purpose,
    RegisterParticipant,
    RegistrationUnchanged,
    WithdrawConsent,
)
from koos_contracts.values import Person
from koos_gateway.domain.access import ORGANISER, PARTNER, TRAINER, Caller
from koos_gateway.domain.commands import CommandRecord
from koos_gateway.domain.editions import EditionView
from koos_gateway.domain.errors import NotFound
from koos_gateway.domain.refusals import registration_refusal
from koos_gateway.domain.registrations import NEVER, Contact, RegistrationView
from koos_gateway.service_layer import audit, commands, editions
from koos_gateway.service_layer.editions import public_edition, visible_edition
from koos_gateway.service_layer.unit import Ports


@dataclass(frozen=True)
class Placed:
    """A registration and, when it waits, its current place in line (1 = next)."""

    registration: RegistrationView
    waiting_position: int | None


@dataclass(frozen=True)
class SignUp:
    """What a registration is answered with: the registration as it stands and the command sent.

    The person's own token comes by mail, with the confirmation, never in this answer: whoever knows
    an address must not be able to act for its owner.
    """

    placed: Placed
    command: CommandRecord


@dataclass(frozen=True)
class Given:
    """Consent as the sign-up form gave it: the purposes and the version of the wording shown."""

    purposes: tuple[Purpose, ...]
    wording_version: str


@dataclass(frozen=True)
class Roster:
    """Who holds a seat and who waits, in the order of the line."""

    edition: EditionView
    confirmed: list[Placed]
    waiting: list[Placed]


async def sign_up_publicly(edition_id: str, person: Person, correlation_id: str, wait: float, ports: Ports,
                           consent: Given | None = None) -> SignUp:
    """Anyone registers for a published edition whose window is open, with the consent they gave, timed now."""
    edition = await public_edition(edition_id, ports)
    given = Consent(purposes=consent.purposes, wording_version=consent.wording_version,
                    given_at=ports.clock.now()) if consent else None
    return await _register(edition, person, None, correlation_id, wait, ports, given)


async def register_for(edition_id: str, person: Person, caller: Caller, correlation_id: str, wait: float,
                       ports: Ports) -> SignUp:
    """An organiser or a partner system registers a person for one of its organisation's editions."""
    caller.require(ORGANISER, PARTNER)
    edition = await visible_edition(edition_id, caller, ports)
    return await _register(edition, person, caller, correlation_id, wait, ports)


async def visible_registration(registration_id: str, caller: Caller, ports: Ports) -> RegistrationView:
    """A registration the caller may see: their organisation's, and for a participant only their own."""
    registration = await ports.registrations.get(registration_id)
    if registration is None or not caller.may_see_registration(registration.organisation_id, registration.person_id,
                                                               registration.registration_id):
        raise NotFound("no such registration")
    return registration


async def read_registration(registration_id: str, caller: Caller, ports: Ports) -> RegistrationView:
    """A registration the caller may see, its reading recorded in the audit trail."""
    registration = await visible_registration(registration_id, caller, ports)
    await audit.accessed(caller, "registration.read", [registration], ports)
    return registration


async def placed(registration: RegistrationView, ports: Ports) -> Placed:
    """The registration with its current place in line, if it waits."""
    if registration.status != "waiting" or registration.queue_number is None:
        return Placed(registration, None)
    ahead = await ports.registrations.waiting_ahead(registration.edition_id, registration.queue_number)
    return Placed(registration, ahead + 1)


async def cancel(registration_id: str, caller: Caller, correlation_id: str, ports: Ports) -> CommandRecord:
    """The person themself, an organiser or a partner cancels; the first in line moves up."""
    if caller.kind == "staff":
        caller.require(ORGANISER)
    registration = await visible_registration(registration_id, caller, ports)
    command = CancelRegistration(edition_id=UUID(registration.edition_id),
                                 registration_id=UUID(registration.registration_id), person_id=registration.person_id)
    await audit.accessed(caller, "registration.cancel", [registration], ports)
    return await commands.send(command, caller, correlation_id, f"/v1/registrations/{registration_id}", ports)


async def withdraw_consent(registration_id: str, purposes: tuple[OptionalPurpose, ...], caller: Caller,
                           correlation_id: str, ports: Ports) -> CommandRecord:
    """The person themself, or an organiser on their behalf, withdraws consent to optional uses."""
    if caller.kind == "staff":
        caller.require(ORGANISER)
    registration = await visible_registration(registration_id, caller, ports)
    command = WithdrawConsent(edition_id=UUID(registration.edition_id),
                              registration_id=UUID(registration.registration_id), purposes=purposes)
    await audit.accessed(caller, "consent.withdraw", [registration], ports)
    return await commands.send(command, caller, correlation_id, f"/v1/registrations/{registration_id}", ports)


async def roster(edition_id: str, caller: Caller, ports: Ports) -> Roster:
    """The confirmed list and the waiting list (in queue order) of an edition."""
    caller.require(ORGANISER, TRAINER)
    edition = await visible_edition(edition_id, caller, ports)
    active = await ports.registrations.active_of_edition(edition_id)
    await audit.accessed(caller, "roster.read", active, ports)
    confirmed = [Placed(r, None) for r in sorted(active, key=lambda r: r.occurred_at) if r.status == "confirmed"]
    waiting = sorted((r for r in active if r.status == "waiting"), key=lambda r: r.queue_number or 0)
    return Roster(edition, confirmed, [Placed(r, n) for n, r in enumerate(waiting, start=1)])


async def of_participant(caller: Caller, ports: Ports) -> list[Placed]:
    """A participant's own registrations."""
    caller.require("participant")
    registrations = await ports.registrations.of_person(caller.organisation_id, caller.subject)
    await audit.accessed(caller, "registration.read", registrations, ports)
    return [await placed(r, ports) for r in registrations]


async def _register(edition: EditionView, person: Person, issuer: Caller | None, correlation_id: str, wait: float,
                    ports: Ports, consent: Consent | None = None) -> SignUp:
    """Check the window, send the command, and (only if asked to) wait for its outcome: no store is read."""
    edition.check_open_for_registration(ports.clock.now())
    edition = await editions.registration_ready(edition, ports)
    subject = await ports.people.subject_for(edition.organisation_id, person.email)
    person = person.model_copy(update={"subject_id": subject})
    pending = _pending(edition, person)
    command = RegisterParticipant(edition_id=UUID(edition.edition_id), person=person, consent=consent)
    sender = issuer or Caller.participant(pending.organisation_id, pending.person_id)
    resource = f"/v1/registrations/{pending.registration_id}"
    await audit.accessed(sender, "registration.register", [pending], ports)
    record = await commands.send(command, sender, correlation_id, resource, ports)
    if wait <= 0:
        return SignUp(Placed(pending, None), record)
    record = await commands.outcome(record, wait, ports)
    if record.status == "refused":
        raise registration_refusal(record.reason_code, record.reason)
    if issuer is None and record.outcome_type == RegistrationUnchanged.ce_type():
        return SignUp(Placed(pending, None), record)  # registered already: its owner is mailed, not this caller
    registration = await ports.registrations.get(pending.registration_id) if record.is_settled else None
    return SignUp(await placed(registration, ports) if registration else Placed(pending, None), record)


def _pending(edition: EditionView, person: Person) -> RegistrationView:
    organisation_id = edition.organisation_id
    return RegistrationView(
        registration_id=str(registration_id_of(UUID(edition.edition_id), person.email, organisation_id,
                                               person.subject_id)),
        edition_id=edition.edition_id, organisation_id=organisation_id,
        person_id=person.subject_id or person_id_for(organisation_id, person.email),
        contact=Contact(person.name, str(person.email), person.language), status="pending", occurred_at=NEVER)
