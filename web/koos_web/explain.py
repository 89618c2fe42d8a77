"""Why a form was refused, in the reader's language and at the field it is about.

The gateway answers invalid requests with pydantic's reasons (English) at their field, and scheduling's refusals
with a reason only; both are recognised here by their wording, translated, and placed at the field they name.
A reason not recognised is shown as it came.
"""

import re
from collections.abc import Callable

from koos_web.i18n import N_

Translate = Callable[[str], str]

_FIELD_RULES: list[tuple[str, str]] = [
    (r"^Field required", N_("This field is required.")),
    (r"^String should have at least 1 character", N_("This field is required.")),
    (r"^String should have at most (?P<n>\d+) characters", N_("Use at most %(n)s characters.")),
    (r"^Input should be greater than or equal to (?P<n>\d+)", N_("Enter a number of at least %(n)s.")),
    (r"^Input should be less than or equal to (?P<n>\d+)", N_("Enter a number of at most %(n)s.")),
    (r"^Input should be a valid integer", N_("Enter a whole number.")),
    (r"^Input should be a valid date\b", N_("Enter a date.")),
    (r"^Input should be a valid time\b", N_("Enter a time, e.g. 09:00.")),
    (r"^(Input should be a valid datetime|Input should have timezone info)", N_("Enter a date and a time.")),
    (r"^value is not a valid email address", N_("Enter a valid e-mail address, e.g. name@example.org.")),
    (r"give the text in at least one of", N_("Give the text in at least one language.")),
    (r"ends at \S+, not after it starts at (?P<start>\S+)", N_("The session must end after it starts (%(start)s).")),
    (r"would end at \S+, not after it starts at (?P<start>\S+)",
     N_("The session must end after it starts (%(start)s).")),
    (r"unknown time zone", N_("Choose a time zone.")),
    (r"^String should match pattern", N_("Use lower-case letters, digits and hyphens, e.g. s1.")),
    (r"should have at least 1 item", N_("Add at least one session.")),
    (r"^Input should be '(?P<choices>.+)'", N_("Choose one of the options.")),
]

_REFUSALS: list[tuple[str, str, str]] = [
    (r"the programme ends on \S+, before it starts on \S+", "ends_on",
     N_("The programme must end on or after the day it starts.")),
    (r"session (?P<s>\S+) on \S+ is outside the programme dates", "sessions.{s}.date",
     N_("This session's date is outside the programme dates.")),
    (r"session id (?P<s>\S+) is used twice", "sessions.{s}.session_id", N_("This session id is used twice.")),
    (r"sessions \S+ and (?P<s>\S+) overlap at", "sessions.{s}.start",
     N_("This session overlaps another one in the same venue.")),
    (r"registration must close after it opens", "registration_closes_at",
     N_("Registration must close after it opens.")),
    (r"session (?P<s>\S+) has already started", "sessions.{s}", N_("This session has already started.")),
    (r"more than a\s+day from now", "", N_("A session can be marked held from a day before it starts.")),
    (r"has ended already", "", N_("This session has been held already.")),
    (r"session \S+ is cancelled", "", N_("This session is cancelled.")),
    (r"an edition with this id is published already", "", N_("This edition has been published already.")),
]


def explain(reason: str, _: Translate) -> str:
    """A field's reason in the reader's language."""
    for pattern, message in _FIELD_RULES:
        found = re.search(pattern, reason)
        if found:
            return _(message) % found.groupdict() if found.groupdict() else _(message)
    return reason


def place_refusal(reason: str, _: Translate) -> tuple[str, str]:
    """The field a service's refusal is about (`sessions.<session id>.date`; "" for the whole form), and its text."""
    for pattern, where, message in _REFUSALS:
        found = re.search(pattern, reason)
        if found:
            return where.format(**found.groupdict()), _(message)
    return "", reason

