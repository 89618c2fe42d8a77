"""What a mail template is given: plain values about the edition, the session and the person."""

from datetime import datetime
from typing import Any

from koos_notifications.domain.edition import EditionCopy, SessionCopy, in_language
from koos_notifications.domain.notification import Notification
from koos_notifications.service_layer.links import personal_links
from koos_notifications.service_layer.mailing import MailSettings

View = dict[str, Any]


def mail_context(notification: Notification, edition: EditionCopy, language: str, settings: MailSettings,
                 now: datetime) -> View:
    """The values every template may use, in the language the mail is written in, with the person's own links."""
    return {
        **notification.details,
        "name": notification.recipient.name,
        "title": in_language(edition.title, language),
        "timezone": edition.timezone,
        "sessions": [session_view(edition, s, language) for s in edition.active_sessions()],
        "session": _focus(notification, edition, language),
        **personal_links(notification, settings, now),
    }


def session_view(edition: EditionCopy, session: SessionCopy, language: str, **facts: Any) -> View:
    """A session as templates show it; `facts` (times, venue) override the copy's."""
    view: View = {
        "number": edition.number_of(session.session_id),
        "name": in_language(session.title, language) if session.title else None,
        "starts_at": session.starts_at,
        "ends_at": session.ends_at,
        "venue": session.venue.model_dump(),
    }
    return {**view, **{key: value for key, value in facts.items() if key in view}}


def _focus(notification: Notification, edition: EditionCopy, language: str) -> View | None:
    session_id = notification.details.get("session_id")
    session = edition.session(str(session_id)) if session_id else None
    if session is None:
        return None
    return session_view(edition, session, language, **notification.details)
