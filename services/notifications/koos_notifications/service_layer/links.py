"""Personal links in mails: a signed participant token lets the person follow and cancel their own registration.

The gateway hands no token to whoever registers; the person gets it only through their mailbox. A token is a
secret: it goes into the mail and nowhere else (never into a log or the store). The links open the web front
end's pages (`KOOS_WEB_BASE_URL`) in the mail's language; the web exchanges the token for a session cookie.
"""

from datetime import datetime

from koos_notifications.domain.notification import Notification
from koos_notifications.service_layer.mailing import MailSettings


def personal_links(notification: Notification, settings: MailSettings, now: datetime) -> dict[str, str]:
    """The recipient's own links: their registration, their calendar, the edition's feedback survey, and the copy
    of their data when the mail is about it."""
    token = settings.participant_tokens.mint(notification.organisation_id, notification.recipient.person_id,
                                             notification.registration_id, now=now.timestamp())
    base, language = settings.web_base_url.rstrip("/"), notification.recipient.language
    links = {
        "registration_url": f"{base}/r/{notification.registration_id}?token={token}&lang={language}",
        "calendar_url": f"{base}/me/calendar.ics?token={token}",
        "feedback_url": f"{base}/f/{notification.edition_id}?token={token}&lang={language}",
    }
    if request_id := notification.details.get("request_id"):
        links["my_data_url"] = (f"{base}/r/{notification.registration_id}/my-data/{request_id}"
                                f"?token={token}&lang={language}")
    return links
