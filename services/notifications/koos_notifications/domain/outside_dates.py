"""Reminders of a programme's outside dates (a funding round closing): for each member of an accepted team, each
date and each number of days before it, one mail at 09:00 in the programme's time zone.

A reminder whose time has passed while its date has not goes out at once; a date that has passed is not reminded.
Its id follows from the programme, the date, the days and the person, so planning it again plans nothing new.
"""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from koos_notifications.domain.cause import Cause
from koos_notifications.domain.edition import EditionCopy
from koos_notifications.domain.notification import Notification
from koos_notifications.domain.participant import ParticipantCopy

REMINDED_AT = time(9, 0)


def outside_date_reminders(programme: EditionCopy, member: ParticipantCopy, correlation_id: str,
                           now: datetime) -> list[Notification]:
    """The reminders of every outside date of the programme still ahead, for one member."""
    zone = ZoneInfo(programme.timezone)
    today = now.astimezone(zone).date()
    reminders = []
    for outside in programme.outside_dates:
        if outside.on < today:
            continue
        for days in outside.remind_days_before:
            due = datetime.combine(outside.on - timedelta(days=days), REMINDED_AT, zone)
            cause = Cause(event_id=f"outside-date:{programme.edition_id}:{outside.key}:{days}",
                          correlation_id=correlation_id)
            reminders.append(Notification.for_event("outside_date_reminder", member, cause, max(due, now),
                                                    date_name=outside.name,
                                                    on_at=datetime.combine(outside.on, time(12), zone),
                                                    days_before=days))
    return reminders
