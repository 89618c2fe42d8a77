"""Turning events of other services into notifications' own copies."""

from collections.abc import Mapping
from datetime import datetime
from uuid import UUID

from koos_contracts import Envelope
from koos_contracts.scheduling import EditionPublished, ScheduledSession
from koos_contracts.values import Language, Participant
from koos_kit.tracing import traceparent_of
from koos_notifications.domain.cause import Cause
from koos_notifications.domain.edition import EditionCopy, SessionCopy
from koos_notifications.domain.participant import ParticipantCopy, ParticipantStatus, Recipient


def cause_of(envelope: Envelope) -> Cause:
    """What a notification remembers of the event that caused it."""
    return Cause(event_id=envelope.id, correlation_id=envelope.correlationid,
                 traceparent=traceparent_of(envelope.correlationid))


def edition_from(event: EditionPublished, organisation_id: str) -> EditionCopy:
    """The part of a published edition that mails need."""
    return EditionCopy(
        edition_id=str(event.edition_id),
        organisation_id=organisation_id,
        title=_texts(event.title),
        timezone=event.timezone,
        sessions=tuple(_session(s) for s in event.sessions),
        reminder_offsets_minutes=tuple(event.reminder_offsets_minutes),
    )


def participant_from(person: Participant, registration_id: UUID, edition_id: UUID, organisation_id: str,
                     status: ParticipantStatus, seated_at: datetime | None = None,
                     seated_by: Cause | None = None) -> ParticipantCopy:
    """A registration as a registration event describes it."""
    recipient = Recipient(person_id=person.person_id, email=str(person.email), name=person.name,
                          language=person.language)
    return ParticipantCopy(registration_id=str(registration_id), edition_id=str(edition_id),
                           organisation_id=organisation_id, recipient=recipient, status=status, seated_at=seated_at,
                           seated_by=seated_by)


def _session(session: ScheduledSession) -> SessionCopy:
    return SessionCopy(session_id=session.session_id, title=_texts(session.title) if session.title else None,
                       starts_at=session.starts_at, ends_at=session.ends_at, venue=session.venue)


def _texts(texts: Mapping[Language, str]) -> dict[str, str]:
    return {str(language): text for language, text in texts.items()}
