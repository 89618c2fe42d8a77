"""Babel formats for templates: dates and times in the reader's locale and the edition's time zone.

Each formatted value is kept per locale, time zone and moment (`CACHED` of them): a rush mails the same few session
times to thousands of people, so Babel formats each once.
"""

from datetime import datetime
from functools import cache, lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_interval, format_skeleton, format_time, get_timezone_location
from jinja2 import pass_context
from jinja2.runtime import Context

LOCALES = {"et": "et_EE", "fi": "fi_FI", "nb": "nb_NO", "en": "en_GB"}
CACHED = 4096


@cache
def locale_of(language: str) -> Locale:
    """The Babel locale mails in a language are formatted in."""
    return Locale.parse(LOCALES.get(language, LOCALES["en"]))


@pass_context
def day(context: Context, moment: datetime) -> str:
    """The weekday and full date, e.g. `tirsdag 23. mai 2027`."""
    return _moment("day", moment, context["timezone"], context["locale"])


@pass_context
def date(context: Context, moment: datetime) -> str:
    """The date without weekday, e.g. `23. mai 2027`."""
    return _moment("date", moment, context["timezone"], context["locale"])


@pass_context
def short_day(context: Context, moment: datetime) -> str:
    """Day and month, e.g. `23. mai`."""
    return _moment("short_day", moment, context["timezone"], context["locale"])


@pass_context
def clock(context: Context, moment: datetime) -> str:
    """The local time of day, e.g. `09:00` or `9.00`."""
    return _moment("clock", moment, context["timezone"], context["locale"])


@pass_context
def span(context: Context, start: datetime, end: datetime) -> str:
    """A time range on one day, e.g. `09:00–12:00`."""
    return _span(start, end, context["timezone"], context["locale"])


@pass_context
def city(context: Context, time_zone: str) -> str:
    """The city that names a time zone, in the reader's language."""
    return _city(time_zone, context["locale"])


def upper_first(text: str) -> str:
    """The text with its first letter in upper case and the rest untouched."""
    return text[:1].upper() + text[1:]


@lru_cache(maxsize=CACHED)
def _moment(form: str, moment: datetime, time_zone: str, locale: Locale) -> str:
    local = moment.astimezone(ZoneInfo(time_zone))
    if form == "day":
        return format_date(local, "full", locale=locale)
    if form == "date":
        return format_date(local, "long", locale=locale)
    if form == "short_day":
        return format_skeleton("MMMMd", local, locale=locale)
    return format_time(local, "short", locale=locale)


@lru_cache(maxsize=CACHED)
def _span(start: datetime, end: datetime, time_zone: str, locale: Locale) -> str:
    zone = ZoneInfo(time_zone)
    return format_interval(start.astimezone(zone), end.astimezone(zone), "Hm", tzinfo=zone, locale=locale)


@lru_cache(maxsize=CACHED)
def _city(time_zone: str, locale: Locale) -> str:
    return str(get_timezone_location(ZoneInfo(time_zone), locale=locale, return_city=True))


FILTERS: dict[str, Any] = {"day": day, "date": date, "short_day": short_day, "clock": clock, "span": span,
                           "city": city, "upper_first": upper_first}
