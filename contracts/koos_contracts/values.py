"""Value types shared by several messages."""

import re
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, BaseModel, ConfigDict, EmailStr, Field, WithJsonSchema

Language = Literal["et", "fi", "nb", "en"]
LANGUAGES: tuple[Language, ...] = ("et", "fi", "nb", "en")
FALLBACK_LANGUAGE: Language = "en"

ShortText = Annotated[str, Field(min_length=1, max_length=200)]
LongText = Annotated[str, Field(max_length=5000)]


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
    """An immutable value inside a message."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Venue(Value):
    """Where a session takes place."""

    name: ShortText
    address: ShortText
    city: ShortText


class Person(Value):
    """Who registers: the least personal data a course needs."""

    email: EmailStr
    name: ShortText
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
