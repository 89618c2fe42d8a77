"""A calendar is written even from data older than the contracts' refusal of control characters."""

from datetime import UTC, datetime, timedelta

from icalendar import Calendar

from koos_kit.ical import CalendarEntry, calendar


def test_a_line_break_in_a_stored_title_does_not_make_the_calendar_unwritable() -> None:
    starts = datetime(2027, 4, 6, 7, tzinfo=UTC)
    entry = CalendarEntry(uid="e-s1@koos", summary="Tjeneste\ndesign", starts_at=starts,
                          ends_at=starts + timedelta(hours=3), location="Rådhuset\r\nOslo")

    document = Calendar.from_ical(calendar([entry], "Tjeneste\r\ndesign\x00", stamped_at=starts))

    assert str(document["X-WR-CALNAME"]) == "Tjeneste  design "
    (event,) = document.walk("VEVENT")
    assert str(event["SUMMARY"]) == "Tjeneste\ndesign"
