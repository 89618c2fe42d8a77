"""Value types shared by several messages."""

import re
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, BaseModel, ConfigDict, EmailStr, Field, WithJsonSchema

Language = Literal["et", "fi", "nb", "en"]
LANGUAGES: tuple[Language, ...] = ("et", "fi", "nb", "en")
FALLBACK_LANGUAGE: Language = "en"

PLAIN_TEXT = r"^[^\x00-\x1F\x7F-\x9F\u2028\u2029]*$"
"""One line of text: no control characters (no line breaks, tabs or NUL), no Unicode line separators."""
TEXT = r"^[^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]*$"
"""Text of several lines: line breaks and tabs, but no other control characters (no NUL)."""
_CONTROL = re.compile(r"[\x00-\x1F\x7F-\x9F\u2028\u2029]")
_CONTROL_IN_TEXT = re.compile(r"[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]")


def _one_line(value: str) -> str:
    if _CONTROL.search(value):
        raise ValueError("must be one line of text, without control characters (line breaks, tabs, NUL)")
    return value


def _no_control_characters(value: str) -> str:
    if _CONTROL_IN_TEXT.search(value):
        raise ValueError("must not contain control characters other than line breaks and tabs (no NUL)")
    return value


ShortText = Annotated[str, Field(min_length=1, max_length=200), AfterValidator(_one_line),
                      WithJsonSchema({"type": "string", "minLength": 1, "maxLength": 200, "pattern": PLAIN_TEXT})]
"""A name, title, place or reason: one line of at most 200 characters."""
LongText = Annotated[str, Field(max_length=5000), AfterValidator(_no_control_characters),
                     WithJsonSchema({"type": "string", "maxLength": 5000, "pattern": TEXT})]
"""A description: several lines of at most 5000 characters."""


def _known_time_zone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValueError(f"unknown time zone {name!r}") from error
    return name


TimeZoneName = Annotated[str, AfterValidator(_known_time_zone)]


def _not_empty(texts: dict[Language, str]) -> dict[Language, str]:
    if not texts:
        raise ValueError("give the text in at least one of et, fi, nb, en")
    return texts


LocalizedText = Annotated[dict[Language, ShortText], AfterValidator(_not_empty)]
LocalizedLongText = dict[Language, LongText]


class Value(BaseModel):
    """An immutable value inside a message; fields it does not know are ignored, as in messages."""

    model_config = ConfigDict(frozen=True, extra="ignore")


class Venue(Value):
    """Where a session takes place."""

    name: ShortText
    address: ShortText
    city: ShortText


_LINK = re.compile(r"[a-z][a-z0-9+.-]*://|www\.|[a-z0-9-]+\.[a-z]{2,24}(?:/|\b(?![\w.]))", re.IGNORECASE)


def _not_a_link(value: str) -> str:
    if _LINK.search(value):
        raise ValueError("a name must not contain a web address or a domain name")
    return value


PersonName = Annotated[str, Field(min_length=1, max_length=200), AfterValidator(_one_line),
                       AfterValidator(_not_a_link),
                       WithJsonSchema({"type": "string", "minLength": 1, "maxLength": 200, "pattern": PLAIN_TEXT,
                                       "description": "One line, without a web address or a domain name."})]
"""A person's name as they give it: one line, and nothing a mail client would turn into a link."""


class Person(Value):
    """Who registers: the least personal data a course needs."""

    email: EmailStr
    name: PersonName
    language: Language = FALLBACK_LANGUAGE


def _shaped_like_an_address(value: str) -> str:
    if len(value) > 254 or not _ADDRESS_SHAPE.match(value):
        raise ValueError("not an e-mail address")
    return value


_ADDRESS_SHAPE = re.compile(r"^[^@\s\x00-\x1f]{1,64}@[^@\s\x00-\x1f]+\.[^@\s\x00-\x1f]+$")

KnownEmail = Annotated[str, AfterValidator(_shaped_like_an_address), WithJsonSchema({"type": "string",
                                                                                    "format": "email"})]
"""An address validated when the person registered: readers of events check only its shape (it is cheap)."""


class Participant(Value):
    """A person known to Koos under a stable id within one organisation (in events; validated on the way in)."""

    email: KnownEmail
    name: ShortText
    language: Language = FALLBACK_LANGUAGE
    person_id: str
