"""One valid example of every message, built from its model: the examples of the AsyncAPI document.

The values tell one story (Kari Nordmann signs up for the Oslo municipality's service-design course), so
that ids agree across messages: the registration id is derived from the edition and the address, the
person id from the organisation and the address. Each example is validated by its model, so it is valid
by construction; the tests check every one against its JSON Schema too.
"""

import types
import typing
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Literal, Union, get_args, get_origin
from uuid import UUID

from pydantic import AwareDatetime, BaseModel

from koos_contracts.base import Message
from koos_contracts.identity import person_id_for, registration_id_for

ORGANISATION = "oslo-kommune"
EDITION_ID = UUID("3f0e8c1a-1d7b-4a51-9a0f-b2c33e6f4d21")
EMAIL = "kari.nordmann@example.org"
AT = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
COMMAND_ID = "0b9c3e0e-4a8f-4c1e-9d59-7c2b8f0a6e11"
"""The `ce_id` of the example command, and the `ce_causationid` of the example outcomes."""

_BY_NAME: dict[str, Any] = {
    "edition_id": EDITION_ID,
    "registration_id": registration_id_for(EDITION_ID, EMAIL),
    "person_id": person_id_for(ORGANISATION, EMAIL),
    "email": EMAIL,
    "name": "Kari Nordmann",
    "language": "nb",
    "timezone": "Europe/Oslo",
    "session_id": "session-1",
    "key": "usefulness",
    "notification_id": "registration_confirmed:5c1f6f8e",
    "address": "Rådhusplassen 1",
    "city": "Oslo",
    "capacity": 30,
    "taken": 30,
    "in_line": 2,
    "queue_number": 2,
    "position": 2,
    "sequence": 12,
    "invited": 30,
    "responses": 21,
    "response_rate": 0.7,
    "mean": 4.3,
    "distribution": {"4": 12, "5": 9},
    "ratings": {"usefulness": 5, "pace": 4},
    "quotes": ("Useful from the first session.",),
    "comment": "Useful from the first session.",
    "reason": "the participant cannot come",
    "reminder_offsets_minutes": (2880, 120),
    "starts_on": date(2027, 4, 6),
    "ends_on": date(2027, 4, 20),
    "date": date(2027, 4, 6),
    "start": time(9, 0),
    "end": time(12, 0),
    "registration_opens_at": AT,
    "registration_closes_at": AT + timedelta(days=30),
    "starts_at": datetime(2027, 4, 6, 7, 0, tzinfo=UTC),
    "ends_at": datetime(2027, 4, 6, 10, 0, tzinfo=UTC),
    "previous_starts_at": datetime(2027, 4, 5, 7, 0, tzinfo=UTC),
    "previous_ends_at": datetime(2027, 4, 5, 10, 0, tzinfo=UTC),
    "closes_at": AT + timedelta(days=14),
    "attempts": 1,
    "places": 6,
    "places_left": 5,
    "lead_email": EMAIL,
    "day": date(2016, 3, 9),
    "workshop_key": "workshop-7",
    "previous_day": date(2016, 3, 2),
    "leaving_email": "mari.maasikas@example.org",
    "lead_person_id": person_id_for(ORGANISATION, EMAIL),
    "ngo": "Tugiliin MTÜ",
    "idea": "A peer-support line for families of people with dementia.",
    "description": {"nb": "Tre samlinger for ansatte i kommunen.", "en": "Three sessions for municipal staff."},
    "homework_key": "expert-interviews",
    "version_number": 1,
    "outcome": "changes_requested",
    "reviewer_id": "trainer-kadri",
    "comments": "Add the two interviews with the social workers.",
    "text": "We interviewed four experts; the notes are attached.",
}
_REASONS = {
    "EditionPublicationRefused": "the edition was published before with another plan",
    "SessionCancelled": "the trainer is ill",
    "CancelSession": "the trainer is ill",
    "ScheduleChangeRefused": "no such session in this edition",
    "RegistrationRefused": "registration closed at 2027-03-31T09:00:00+00:00",
    "CancellationRefused": "no such registration for this edition",
    "FeedbackRefused": "feedback was given already",
    "NotificationFailed": "SMTPRecipientsRefused (SMTP 550)",
    "TeamRefused": "a team needs at least 1 NGO leader",
    "TeamChangeRefused": "all 6 places are taken",
    "TeamProgrammeRefused": "another organisation's programme has this id",
    "ProgrammeRefused": "running can only follow registration closed; the programme is in registration open",
    "HomeworkRefused": "the last version waits for the trainer's review",
}
_BY_MODEL: dict[str, dict[str, Any]] = {
    "Venue": {"name": "Oslo rådhus"},
    "FeedbackQuestion": {"text": {"nb": "Hvor nyttig var kurset?", "en": "How useful was the course?"}},
    "CriterionScore": {"criterion": "usefulness", "value": 4, "comment": {"text": "A clear service concept."}},
    "GivenScore": {"criterion": "usefulness", "value": 4, "comment": {"text": "A clear service concept."}},
    "Institution": {"institution_id": "oslo-museum", "name": "Oslo Museum", "kind": "museum"},
    "Motivation": {"text": "We want to reach residents who do not speak Norwegian."},
    "Comment": {"text": "A clear service concept."},
    "Milestone": {"key": "final_report", "due_on": date(2027, 9, 1)},
    "CompositionRule": {"roles": {"ngo_leader": {"en": "NGO leader", "et": "MTÜ juht"}}, "max_members": 12},
    "MemberRule": {"key": "ngo-leader", "roles": ("ngo_leader",), "at_least": 1, "at_most": 1},
    "TeamMember": {"role": "ngo_leader", "organisation": "Tugiliin MTÜ"},
    "Member": {"role": "ngo_leader", "organisation": "Tugiliin MTÜ"},
    "Phase": {"key": "spring", "name": {"en": "Research and co-creation", "et": "Uuring ja koosloome"},
              "starts_on": date(2016, 3, 1), "ends_on": date(2016, 6, 30)},
    "OutsideDate": {"key": "funding-round", "name": {"en": "Funding round closes", "et": "Taotlusvoor sulgub"},
                    "on": date(2016, 5, 31)},
    "Block": {"kind": "theory", "start": time(9, 45), "end": time(12, 30)},
    "WorkshopPlan": {"key": "workshop-1", "title": {"en": "Introduction", "et": "Sissejuhatus"},
                     "day": date(2016, 3, 9), "start": time(9, 45), "end": time(17, 0)},
    "Attachment": {"name": "interview-notes.pdf", "size_bytes": 482113, "key": "a1b2c3-interview-notes.pdf",
                   "link": "https://drive.example.org/interviews"},
    "RuleBreach": {"rule_key": "ngo-leader", "counted": 0, "reason": "a team needs at least 1 NGO leader"},
}
_TEXTS = {"nb": "Tjenestedesign for kommunens ansatte", "en": "Service design for municipal staff"}


def example_of(message_type: type[Message]) -> Message:
    """The example instance of a message type (every field given, optional ones too)."""
    fields = _fields(message_type)
    if "reason" in fields and message_type.__name__ in _REASONS:
        fields["reason"] = _REASONS[message_type.__name__]
    return message_type.model_validate(fields)


def _fields(model: type[BaseModel]) -> dict[str, Any]:
    given = _BY_MODEL.get(model.__name__, {})
    return {name: given[name] if name in given else _value(name, field.annotation)
            for name, field in model.model_fields.items()}


def _value(name: str, annotation: Any) -> Any:
    if name in _BY_NAME:
        return _BY_NAME[name]
    annotation = _unwrapped(annotation)
    origin = get_origin(annotation)
    if origin is Literal:
        return get_args(annotation)[0]
    if origin is tuple:
        return (_value(name, get_args(annotation)[0]),)
    if origin is dict:
        key_type, value_type = (_unwrapped(a) for a in get_args(annotation))
        keys = ("nb", "en") if get_origin(key_type) is Literal else ("value",)
        return {key: _TEXTS.get(key, "example") if value_type is str else _value(name, value_type) for key in keys}
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return _fields(annotation)
    return _scalar(name, annotation)


def _scalar(name: str, annotation: Any) -> Any:
    if annotation is bool:
        return True
    if annotation is int:
        return 1
    if annotation is float:
        return 1.0
    if annotation is UUID:
        return EDITION_ID
    if annotation in (datetime, AwareDatetime):
        return AT
    return {"title": "Tjenestedesign", "kind": "open_course"}.get(name, f"Example {name.replace('_', ' ')}")


def _unwrapped(annotation: Any) -> Any:
    """The type without its Annotated metadata, and without None when it is optional."""
    while get_origin(annotation) is typing.Annotated:
        annotation = get_args(annotation)[0]
    if get_origin(annotation) in (Union, types.UnionType):
        options = [a for a in get_args(annotation) if a is not type(None)]
        return _unwrapped(options[0])
    return annotation
