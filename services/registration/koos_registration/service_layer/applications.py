"""Handlers of institutions' applications: taken within the edition's window, then admitted or declined.

Each application is one document that remembers the commands applied to it, so a command consumed again changes
nothing and says nothing new; outcomes that change nothing (refusals, repeats) go out through the replies.
"""

from koos_contracts import Envelope
from koos_contracts.applications import (
    ApplicationDecisionRefused,
    ApplicationRefused,
    ApplicationUnchanged,
    ApplyAsInstitution,
    DecideApplication,
)
from koos_contracts.base import Event
from koos_kit.errors import NotYet
from koos_kit.logging import get_logger
from koos_registration.domain.application import Application, window_refusal
from koos_registration.service_layer.handlers import Ports
from koos_registration.service_layer.ports import Applications

log = get_logger("koos.registration.applications")


async def apply(command: ApplyAsInstitution, envelope: Envelope, ports: Ports) -> None:
    """Take an institution's application while the window is open, once per institution and edition."""
    store, application_id = _store(ports), str(command.application_id)
    found = await store.get(application_id)
    if found is not None:
        if envelope.id not in found.commands:
            await _reply(envelope, ApplicationUnchanged(edition_id=command.edition_id,
                                                        application_id=command.application_id,
                                                        status=found.status), ports)
        return
    offer = await ports.book.offer(str(command.edition_id))
    if offer is None and envelope.time > ports.clock.now() - ports.unknown_edition_grace:
        raise NotYet("the edition is not known yet")
    refusal = window_refusal(offer, envelope.organisationid, envelope.time)
    if refusal is not None:
        await _reply(envelope, ApplicationRefused(edition_id=command.edition_id, application_id=command.application_id,
                                                  institution=command.institution, contacts=command.contacts,
                                                  reason_code=refusal.code, reason=refusal.reason), ports)
        return
    application = Application.receive(command, envelope.organisationid, envelope.time)
    application.commands.append(envelope.id)
    await store.save(application, ports.factory.caused_by(envelope, application.events))
    log.info("institution applied", edition_id=str(command.edition_id), application_id=application_id)


async def decide(command: DecideApplication, envelope: Envelope, ports: Ports) -> None:
    """The organiser's admission or refusal of one application, after the window has closed."""
    store = _store(ports)
    application = await store.get(str(command.application_id))
    if application is not None and envelope.id in application.commands:
        return
    offer = await ports.book.offer(str(command.edition_id))
    if application is None or offer is None or application.organisation_id != envelope.organisationid \
            or application.applied.edition_id != command.edition_id:
        await _reply(envelope, ApplicationDecisionRefused(
            edition_id=command.edition_id, application_id=command.application_id,
            reason_code="unknown_application", reason="no such application for this edition"), ports)
        return
    outcome = application.decide(command.admit, offer, ports.clock.now())
    if not application.events:
        await _reply(envelope, outcome, ports)
        return
    application.commands.append(envelope.id)
    await store.save(application, ports.factory.caused_by(envelope, application.events))
    log.info("application decided", application_id=str(command.application_id), status=application.status)


async def _reply(envelope: Envelope, event: Event, ports: Ports) -> None:
    await ports.replies.reply(envelope, ports.factory.caused_by(envelope, [event]))


def _store(ports: Ports) -> Applications:
    if ports.applications is None:
        raise RuntimeError("registration was started without its applications store")
    return ports.applications
