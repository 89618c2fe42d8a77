"""The privacy inventory: a personal field cannot be added to a message without a purpose and a retention."""

from typing import Annotated, ClassVar
from uuid import UUID

from pydantic import EmailStr, Field

from koos_contracts.base import Event
from koos_contracts.catalogue import MESSAGE_TYPES
from koos_contracts.inventory import PUBLISHED, RETENTION, STORED, Published
from koos_contracts.privacy import inventory_problems, personal_paths
from koos_contracts.privacy_doc import privacy_document
from koos_contracts.schemagen import message_schema, privacy_problems
from koos_contracts.topics import REGISTRATIONS, Topic
from koos_contracts.values import Participant, PersonName


class _Extended(Event):
    topic: ClassVar[Topic] = REGISTRATIONS
    key_field: ClassVar[str] = "edition_id"
    edition_id: UUID


class GuestInvited(_Extended):
    guest_email: EmailStr


class GuestNamed(_Extended):
    guest: PersonName


class TeamFormed(_Extended):
    members: tuple[Participant, ...]


class HomeworkHandedIn(_Extended):
    comment: str


class DiaryKept(_Extended):
    entries: dict[str, Annotated[str, Field(json_schema_extra={"x-personal": True})]]


def _with(*types: type[Event]) -> dict[str, type[Event]]:
    return {**MESSAGE_TYPES, **{t.ce_type(): t for t in types}}


def test_the_committed_contracts_account_for_every_personal_field() -> None:
    assert privacy_problems() == []


def test_an_e_mail_a_name_a_participant_free_text_or_a_marked_field_without_an_entry_fails_the_check() -> None:
    problems = inventory_problems(_with(GuestInvited, GuestNamed, TeamFormed, HomeworkHandedIn, DiaryKept))

    assert [p.split(":")[0] for p in problems] == [
        "koos.registration.DiaryKept.v1 entries{}", "koos.registration.GuestInvited.v1 guest_email",
        "koos.registration.GuestNamed.v1 guest", "koos.registration.HomeworkHandedIn.v1 comment",
        "koos.registration.TeamFormed.v1 members[]"]


def test_a_field_listed_with_a_purpose_and_a_retention_passes() -> None:
    entry = Published(GuestInvited.ce_type(), "guest_email", "To invite the guest", "registrations")

    assert inventory_problems(_with(GuestInvited), (*PUBLISHED, entry)) == []


def test_an_entry_without_a_purpose_or_with_an_unknown_retention_fails() -> None:
    entries = (Published(GuestInvited.ce_type(), "guest_email", " ", "forever"),)

    problems = inventory_problems(_with(GuestInvited), (*PUBLISHED, *entries))

    assert any("no purpose" in p for p in problems)
    assert any("'forever' is not a kind" in p for p in problems)


def test_an_entry_for_a_field_that_is_gone_fails() -> None:
    stale = Published("koos.registration.RegistrationConfirmed.v1", "guest", "To greet", "registrations")

    assert inventory_problems(MESSAGE_TYPES, (*PUBLISHED, stale)) == [
        "koos.registration.RegistrationConfirmed.v1 guest: the inventory names a field the message does not have"]


def test_ids_counts_and_organiser_texts_are_not_taken_for_personal_data() -> None:
    edition = message_schema(MESSAGE_TYPES["koos.scheduling.EditionPublished.v1"])
    cancelled = message_schema(MESSAGE_TYPES["koos.registration.RegistrationCancelled.v1"])

    assert personal_paths(edition) == set()
    assert personal_paths(cancelled) == set()


def test_the_document_lists_every_service_field_and_retention_period() -> None:
    document = privacy_document(MESSAGE_TYPES)

    assert all(f"| {key} |" in document for key in RETENTION)
    assert all(f"`{s.collection}` | `{s.field}`" in document for s in STORED)
    assert "| `koos.evaluation.SubmitFeedback.v1` | `comment` |" in document
    assert "| registrations | A person's registration: name, e-mail address, language, standing | 730 days |" \
        in document
