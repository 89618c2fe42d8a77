"""Dates and times in the reader's locale and the edition's time zone (the web's own copy of the mails' rules)."""

from datetime import date as Date
from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_interval, format_time, get_timezone_location
from babel.numbers import format_decimal, format_percent

LOCALES = {"et": "et_EE", "fi": "fi_FI", "nb": "nb_NO", "en": "en_GB"}


def locale_of(language: str) -> str:
    """The Babel locale pages in a language are formatted in."""
    return LOCALES.get(language, LOCALES["en"])


class Formats:
    """Formatting for one language; times are shown in the zone they are given (the edition's)."""

    def __init__(self, language: str) -> None:
        self.language = language
        self.locale = locale_of(language)

    def day(self, moment: datetime | Date, zone: str | None = None) -> str:
        """The weekday and full date, e.g. `tirsdag 23. mai 2027`."""
        return format_date(_local(moment, zone), "full", locale=self.locale)

    def date(self, moment: datetime | Date, zone: str | None = None) -> str:
        """The date, e.g. `23. mai 2027`."""
        return format_date(_local(moment, zone), "long", locale=self.locale)

    def clock(self, moment: datetime, zone: str) -> str:
        """The local time of day, e.g. `09:00` or `9.00`."""
        return format_time(moment.astimezone(ZoneInfo(zone)), "short", locale=self.locale)

    def moment(self, moment: datetime, zone: str) -> str:
        """Date and time, e.g. `23. mai 2027, 09:00`."""
        local = moment.astimezone(ZoneInfo(zone))
        return f"{format_date(local, 'long', locale=self.locale)}, {format_time(local, 'short', locale=self.locale)}"

    def span(self, start: datetime, end: datetime, zone: str) -> str:
        """A time range on one day, e.g. `09:00–12:00`."""
        tz = ZoneInfo(zone)
        return format_interval(start.astimezone(tz), end.astimezone(tz), "Hm", tzinfo=tz, locale=self.locale)

    def city(self, zone: str) -> str:
        """The city that names a time zone, in the reader's language."""
        return str(get_timezone_location(ZoneInfo(zone), locale=self.locale, return_city=True))

    def number(self, value: float, digits: int = 1) -> str:
        return format_decimal(round(value, digits), locale=self.locale)

    def percent(self, value: float) -> str:
        return format_percent(value, locale=self.locale)


def _local(moment: datetime | Date, zone: str | None) -> datetime | Date:
    if isinstance(moment, datetime) and zone:
        return moment.astimezone(ZoneInfo(zone))
    return moment
