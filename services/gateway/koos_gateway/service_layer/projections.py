"""Read models built from the services' events; each outcome also settles the command that caused it."""

from collections.abc import Mapping

from koos_contracts import Envelope
from koos_contracts.evaluation import FeedbackRecorded, FeedbackRefused, SurveyOpened, SurveyResultsUpdated
from koos_contracts.scheduling import (
    EditionPublicationRefused,
    EditionPublished,
    EditionUnchanged,
    ScheduleChangeRefused,
    SessionCancelled,
    SessionRescheduled,
)
from koos_contracts.values import Language
from koos_gateway.domain.editions import EditionView, SessionView
from koos_gateway.domain.surveys import SurveyForm, SurveyResultsView
from koos_gateway.service_layer import audit
from koos_gateway.service_layer.outcomes import settle
from koos_gateway.service_layer.unit import Ports


async def edition_published(event: EditionPublished, envelope: Envelope, ports: Ports) -> None:
    """A new edition becomes visible."""
    await ports.editions.add(edition_view(event, envelope.organisationid), envelope.id)
    await settle(envelope, event, ports)


async def session_rescheduled(event: SessionRescheduled, envelope: Envelope, ports: Ports) -> None:
    """A session moves; its calendar SEQUENCE grows."""
    await ports.editions.reschedule(str(event.edition_id), event.session_id, event.starts_at, event.ends_at,
                                    event.venue, envelope.id)
    await settle(envelope, event, ports)


async def session_cancelled(event: SessionCancelled, envelope: Envelope, ports: Ports) -> None:
    """A session is marked cancelled."""
    await ports.editions.cancel_session(str(event.edition_id), event.session_id, event.reason, envelope.id)
    await settle(envelope, event, ports)


async def answered(event: EditionPublicationRefused | ScheduleChangeRefused | FeedbackRefused | EditionUnchanged,
                   envelope: Envelope, ports: Ports) -> None:
    """A service refused a command, or found it changed nothing: the waiting request learns so."""
    await settle(envelope, event, ports)


async def feedback_recorded(event: FeedbackRecorded, envelope: Envelope, ports: Ports) -> None:
    """Evaluation recorded a participant's answers."""
    await audit.changed([(envelope, event)], ports)
    await settle(envelope, event, ports)


async def survey_opened(event: SurveyOpened, envelope: Envelope, ports: Ports) -> None:
    """Keep the questions of an opened survey, for participants to answer."""
    await ports.surveys.save_form(SurveyForm(envelope.organisationid, event))


async def survey_results_updated(event: SurveyResultsUpdated, envelope: Envelope, ports: Ports) -> None:
    """Keep the newest results of an edition's survey."""
    await ports.surveys.save(SurveyResultsView(envelope.organisationid, event, envelope.time))


def edition_view(event: EditionPublished, organisation_id: str) -> EditionView:
    """An edition as published."""
    sessions = tuple(SessionView(s.session_id, _texts(s.title) if s.title else None, s.starts_at, s.ends_at, s.venue)
                     for s in event.sessions)
    return EditionView(
        edition_id=str(event.edition_id), organisation_id=organisation_id, kind=event.kind,
        title=_texts(event.title), description=_texts(event.description), timezone=event.timezone,
        starts_on=event.starts_on, ends_on=event.ends_on, capacity=event.capacity,
        registration_opens_at=event.registration_opens_at, registration_closes_at=event.registration_closes_at,
        sessions=sessions, reminder_offsets_minutes=tuple(event.reminder_offsets_minutes),
        feedback_questions=tuple(event.feedback_questions))


def _texts(texts: Mapping[Language, str]) -> dict[str, str]:
    return {str(language): text for language, text in texts.items()}
