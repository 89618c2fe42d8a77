"""Messages about a person's data as a whole: their data keys, export and erasure across every service.

A person's personal fields travel sealed with their own data key (`koos_contracts.values.Sealed`). The keys
are on the compacted topic `koos.privacy.keys.v1`, keyed by subject id, wrapped with the key-encryption key
of the deployment; erasing a person writes a tombstone there, after which no copy of their sealed fields in
any topic can be read. Export and erasure are asked of every service holding personal data at once: each
answers the request with exactly one event of its own (`HOLDERS` names them).
"""

from typing import ClassVar, Literal
from uuid import UUID

from pydantic import AwareDatetime, Field

from koos_contracts.base import Command, Event
from koos_contracts.topics import PRIVACY_ANSWERS, PRIVACY_KEYS, PRIVACY_REQUESTS, Topic
from koos_contracts.values import Personal

HOLDERS: tuple[str, ...] = ("registration", "evaluation", "notifications", "gateway")
"""The services that hold personal data, each of which answers every export and erasure request."""

Requester = Literal["participant", "organiser"]


class DataKeyIssued(Event):
    """A person's data key, wrapped (AES-256-GCM) with the key-encryption key `kek_id` names."""

    topic: ClassVar[Topic] = PRIVACY_KEYS
    key_field: ClassVar[str] = "subject_id"

    subject_id: str = Field(min_length=1)
    wrapped_key: str = Field(description="The 256-bit data key sealed with the key-encryption key, base64.")
    nonce: str
    kek_id: str

    def subject(self) -> str:
        return self.subject_id


class _PrivacyRequest(Command):
    topic: ClassVar[Topic] = PRIVACY_REQUESTS
    key_field: ClassVar[str] = "subject_id"

    request_id: str = Field(min_length=1)
    subject_id: str = Field(min_length=1)
    requested_by: Requester

    def subject(self) -> str:
        return self.subject_id


class ExportPersonalData(_PrivacyRequest):
    """Send everything you hold about this person (each holder answers with `PersonalDataExported`)."""


class ErasePersonalData(_PrivacyRequest):
    """Erase or anonymise everything you hold about this person, keeping aggregates (seat counts, means) true."""


class _PrivacyAnswer(Event):
    topic: ClassVar[Topic] = PRIVACY_ANSWERS
    key_field: ClassVar[str] = "subject_id"

    request_id: str
    subject_id: str
    service: str

    def subject(self) -> str:
        return self.subject_id


class PersonalDataExported(_PrivacyAnswer):
    """One service's part of a person's export: `document` is JSON text, sealed with the person's key."""

    document: Personal[str]
    exported_at: AwareDatetime


class PersonalDataErased(_PrivacyAnswer):
    """One service erased or anonymised what it held about the person; `erased` counts it by kind."""

    erased: dict[str, int]
    erased_at: AwareDatetime


class PersonalDataExportReady(Event):
    """Every holder has sent its part of an export a participant asked for: the gateway tells the person so.

    `registration_id` is the registration from whose page (and with whose link) the person asked; their mail goes
    to the address of that registration, and its link opens the copy there. Published once per request.
    """

    topic: ClassVar[Topic] = PRIVACY_ANSWERS
    key_field: ClassVar[str] = "subject_id"

    request_id: str = Field(min_length=1)
    subject_id: str = Field(min_length=1)
    registration_id: UUID
    ready_at: AwareDatetime

    def subject(self) -> str:
        return self.subject_id


OUTCOMES: dict[type[Command], tuple[type[Event], ...]] = {
    ExportPersonalData: (PersonalDataExported,),
    ErasePersonalData: (PersonalDataErased,),
}
"""Each holder (`HOLDERS`) answers each request with one of these, carrying the request's command id as causation."""
