"""Handlers of the facts evaluation learns: editions, their last session, and who takes part."""

from collections.abc import Callable
from uuid import UUID

from koos_contracts import Envelope
from koos_contracts.registration import RegistrationCancelled, RegistrationConfirmed, RegistrationPromoted
from koos_contracts.scheduling import EditionPublished, SessionEnded
from koos_evaluation.domain.survey import Survey
from koos_evaluation.service_layer.ports import Ports
from koos_kit.logging import get_logger

log = get_logger("koos.evaluation")


async def learn_edition(event: EditionPublished, envelope: Envelope, ports: Ports) -> None:
    """A published edition gives its survey the questions (or the default set) and the organisation."""
    await _change(event.edition_id, envelope, ports, lambda s: s.learn_edition(event, envelope.organisationid),
                  trusted_organisation=True)


async def open_after_last_session(event: SessionEnded, envelope: Envelope, ports: Ports) -> None:
    """When the edition's last session has ended, its survey opens, once."""
    if not event.last_of_edition:
        return
    now = ports.clock.now()
    if await _change(event.edition_id, envelope, ports, lambda s: s.open(now, ports.survey_open_for)):
        log.info("survey opened", edition_id=str(event.edition_id))


async def enrol_participant(event: RegistrationConfirmed | RegistrationPromoted, envelope: Envelope,
                            ports: Ports) -> None:
    """A person with a seat takes part and may answer the survey."""
    at = event.confirmed_at if isinstance(event, RegistrationConfirmed) else event.promoted_at
    await _change(event.edition_id, envelope, ports, lambda s: s.enrol(event.participant.person_id, at))


async def withdraw_participant(event: RegistrationCancelled, envelope: Envelope, ports: Ports) -> None:
    """A person who gave up a seat no longer takes part; leaving the waiting list changes nothing here."""
    if event.previous_status != "confirmed":
        return
    await _change(event.edition_id, envelope, ports, lambda s: s.withdraw(event.person_id, event.cancelled_at))


async def _change(edition_id: UUID, envelope: Envelope, ports: Ports, change: Callable[[Survey], bool],
                  trusted_organisation: bool = False) -> bool:
    survey = await ports.surveys.get(edition_id) or Survey(edition_id, envelope.organisationid)
    if survey.organisation_id != envelope.organisationid and not trusted_organisation:
        log.warning("fact from another organisation ignored", edition_id=str(edition_id))
        return False
    if not change(survey):
        return False
    await ports.surveys.save(survey, ports.factory.caused_by(envelope, survey.events))
    return True
