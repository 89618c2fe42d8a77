"""Value types shared by several messages."""

import re
from typing import Annotated, Any, Literal, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    EmailStr,
    Field,
    GetJsonSchemaHandler,
    ValidatorFunctionWrapHandler,
    WithJsonSchema,
    WrapValidator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

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


class Sealed(Value):
    """A personal field as it travels: encrypted (AES-256-GCM) with the data key of the person it is about.

    The key is the subject's own (`koos.privacy.keys.v1`); once it is erased, no copy anywhere can be read.
    """

    sealed: Literal["A256GCM"]
    subject: str = Field(min_length=1, description="The pseudonymous id of the person whose key sealed it.")
    nonce: str = Field(description="The 96-bit nonce, base64.")
    data: str = Field(description="The ciphertext with its tag, base64; the associated data is the subject.")


ERASED_NAME = "(erased)"
"""What an erased person's name (or other text) reads as once their key is gone."""
ERASED_DOMAIN = "erased.invalid"


def erased_address(subject: str) -> str:
    """The address an erased person's e-mail reads as: reserved (RFC 2606), undeliverable, distinct per subject."""
    return f"{subject}@{ERASED_DOMAIN}"


def is_erased_address(address: str) -> bool:
    """Whether an address is an erased person's placeholder (nothing may be mailed to it)."""
    return address.casefold().endswith("@" + ERASED_DOMAIN)


PERSONAL = "x-personal"
"""The JSON Schema keyword that marks a personal field: on the wire it is either the value or `Sealed`."""
PERSONAL_SUBJECTS = "x-personal-subjects"
"""On a list of personal values: the sibling list naming each item's subject, in the same order; on a single
personal value: the sibling field naming its subject."""
SEALED_SCHEMA: dict[str, Any] = Sealed.model_json_schema()


class _PersonalMark:
    """Marks a field as personal data: sealed on the wire with its subject's key, plain in memory."""

    def __get_pydantic_json_schema__(self, core_schema: CoreSchema, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        return {"anyOf": [handler(core_schema), SEALED_SCHEMA], PERSONAL: True}

    def __repr__(self) -> str:
        return "PERSONAL"


PERSONAL_MARK = _PersonalMark()


_T = TypeVar("_T")
Personal = Annotated[_T, PERSONAL_MARK]
"""`Personal[str]`: a personal field (see `Sealed`); its subject is the `subject_id` (or `person_id`) of the
object holding it, else of the nearest object around it."""


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


def _deliverable_or_erased(value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
    if isinstance(value, str) and is_erased_address(value):
        return value
    return handler(value)


PersonEmail = Annotated[EmailStr, WrapValidator(_deliverable_or_erased)]
"""A deliverable address as a person gives it, or the placeholder it reads as once they were erased (an erased
person's record stays readable; nothing is ever mailed to the placeholder, a reserved domain)."""


class Person(Value):
    """Who registers: the least personal data a course needs; `subject_id` is the person's pseudonymous id
    (minted where the data enters Koos, see "Personal data" in contracts/README.md)."""

    email: Personal[PersonEmail]
    name: Personal[PersonName]
    language: Language = FALLBACK_LANGUAGE
    subject_id: str | None = None


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

    email: Personal[KnownEmail]
    name: Personal[ShortText]
    language: Language = FALLBACK_LANGUAGE
    person_id: str
    """The person's pseudonymous id: the subject whose key seals `email` and `name`."""
