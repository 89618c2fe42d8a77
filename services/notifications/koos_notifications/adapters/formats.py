"""Babel formats for templates: dates and times in the reader's locale and the edition's time zone."""

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_interval, format_skeleton, format_time, get_timezone_location
from jinja2 import pass_context
from jinja2.runtime import Context

LOCALES = {"et": "et_EE", "fi": "fi_FI", "nb": "nb_NO", "en": "en_GB"}


def locale_of(language: str) -> str:
    """The Babel locale mails in a language are formatted in."""
    return LOCALES.get(language, LOCALES["en"])


def _local(context: Context, moment: datetime) -> datetime:
    return moment.astimezone(ZoneInfo(context["timezone"]))


@pass_context
def day(context: Context, moment: datetime) -> str:
    """The weekday and full date, e.g. `tirsdag 23. mai 2027`."""
    return format_date(_local(context, moment), "full", locale=context["locale"])


@pass_context
def date(context: Context, moment: datetime) -> str:
    """The date without weekday, e.g. `23. mai 2027`."""
    return format_date(_local(context, moment), "long", locale=context["locale"])


@pass_context
def short_day(context: Context, moment: datetime) -> str:
    """Day and month, e.g. `23. mai`."""
    return format_skeleton("MMMMd", _local(context, moment), locale=context["locale"])


@pass_context
def clock(context: Context, moment: datetime) -> str:
    """The local time of day, e.g. `09:00` or `9.00`."""
    return format_time(_local(context, moment), "short", locale=context["locale"])


@pass_context
def span(context: Context, start: datetime, end: datetime) -> str:
    """A time range on one day, e.g. `09:00–12:00`."""
    zone = ZoneInfo(context["timezone"])
    return format_interval(start.astimezone(zone), end.astimezone(zone), "Hm", tzinfo=zone, locale=context["locale"])


@pass_context
def city(context: Context, time_zone: str) -> str:
    """The city that names a time zone, in the reader's language."""
    return str(get_timezone_location(ZoneInfo(time_zone), locale=context["locale"], return_city=True))


def upper_first(text: str) -> str:
    """The text with its first letter in upper case and the rest untouched."""
    return text[:1].upper() + text[1:]


FILTERS: dict[str, Any] = {"day": day, "date": date, "short_day": short_day, "clock": clock, "span": span,
                           "city": city, "upper_first": upper_first}
