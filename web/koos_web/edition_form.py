"""The organiser's edition form: what it holds, the PublishEdition body it becomes, and its errors by field.

Times are entered in the edition's time zone (dates, `HH:MM`, and `datetime-local` for the registration window);
the gateway gets aware instants. A value that cannot be read is sent as typed, so the gateway's validation names
the field; rows left wholly empty are not sent.
"""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import uuid4
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from starlette.datastructures import FormData

from koos_web.i18n import LANGUAGES

TIME_ZONES = ("Europe/Tallinn", "Europe/Helsinki", "Europe/Oslo")
SESSION_FIELDS = ("id", "date", "start", "end", "venue_name", "venue_address", "venue_city")
VENUE_FIELDS = ("name", "address", "city")


@dataclass
class EditionForm:
    """The form's values as typed, the number of rows, and the errors found, by the form field's name."""

    values: dict[str, str] = field(default_factory=dict)
    session_rows: int = 3
    question_rows: int = 2
    errors: dict[str, str] = field(default_factory=dict)
    summary: list[str] = field(default_factory=list)

    @classmethod
    def blank(cls) -> "EditionForm":
        return cls(values={"edition_id": str(uuid4()), "timezone": "Europe/Oslo", "capacity": "30"})

    @classmethod
    def of(cls, form: FormData) -> "EditionForm":
        values = {k: str(v).strip() for k, v in form.items() if isinstance(v, str)}
        rows = _count(values.get("session_rows"), 3)
        questions = _count(values.get("question_rows"), 2)
        action = values.get("action", "")
        return cls(values, rows + (action == "add_session"), questions + (action == "add_question"))

    def value(self, name: str) -> str:
        return self.values.get(name, "")

    def body(self) -> tuple[dict[str, Any], dict[str, str]]:
        """The PublishEdition body, and which form field each of its paths came from."""
        zone = self.value("timezone")
        body: dict[str, Any] = {
            "edition_id": self.value("edition_id") or str(uuid4()),
            "title": {lang: self.value(f"title_{lang}") for lang in LANGUAGES if self.value(f"title_{lang}")},
            "description": {lang: self.value(f"description_{lang}") for lang in LANGUAGES
                            if self.value(f"description_{lang}")},
            "timezone": zone, "starts_on": self.value("starts_on") or None, "ends_on": self.value("ends_on") or None,
            "capacity": self.value("capacity") or None,
            "registration_opens_at": _instant(self.value("registration_opens_at"), zone),
            "registration_closes_at": _instant(self.value("registration_closes_at"), zone),
        }
        fields = {name: name for name in ("timezone", "starts_on", "ends_on", "capacity", "registration_opens_at",
                                          "registration_closes_at", "title", "description")}
        fields.update({f"title.{lang}": f"title_{lang}" for lang in LANGUAGES})
        fields.update({f"description.{lang}": f"description_{lang}" for lang in LANGUAGES})
        body["sessions"] = self._sessions(fields)
        fields["sessions"] = "s0_date"
        questions = self._questions(fields)
        if questions:
            body["feedback_questions"] = questions
        return body, fields

    def _sessions(self, fields: dict[str, str]) -> list[dict[str, Any]]:
        sessions: list[dict[str, Any]] = []
        for row in range(self.session_rows):
            typed = {name: self.value(f"s{row}_{name}") for name in SESSION_FIELDS}
            if not any(typed.values()):
                continue
            index = len(sessions)
            own_venue = any(typed[f"venue_{n}"] for n in VENUE_FIELDS)
            venue = {n: typed[f"venue_{n}"] if own_venue else self.value(f"venue_{n}") for n in VENUE_FIELDS}
            sessions.append({"session_id": typed["id"] or f"s{index + 1}", "date": typed["date"] or None,
                             "start": typed["start"] or None, "end": typed["end"] or None, "venue": venue})
            prefix, row_prefix = f"sessions.{index}", f"s{row}_"
            fields.update({prefix: f"{row_prefix}end", f"{prefix}.session_id": f"{row_prefix}id",
                           f"{prefix}.date": f"{row_prefix}date", f"{prefix}.start": f"{row_prefix}start",
                           f"{prefix}.end": f"{row_prefix}end", f"{prefix}.venue": f"{row_prefix}venue_name"})
            for name in VENUE_FIELDS:
                fields[f"{prefix}.venue.{name}"] = f"{row_prefix}venue_{name}" if own_venue else f"venue_{name}"
            fields[f"sessions.{sessions[-1]['session_id']}"] = f"{row_prefix}end"
            for part, name in (("date", "date"), ("session_id", "id"), ("start", "start")):
                fields[f"sessions.{sessions[-1]['session_id']}.{part}"] = f"{row_prefix}{name}"
        return sessions

    def _questions(self, fields: dict[str, str]) -> list[dict[str, Any]]:
        questions: list[dict[str, Any]] = []
        for row in range(self.question_rows):
            key = self.value(f"q{row}_key")
            texts = {lang: self.value(f"q{row}_{lang}") for lang in LANGUAGES if self.value(f"q{row}_{lang}")}
            if not key and not texts:
                continue
            index = len(questions)
            questions.append({"key": key, "text": texts})
            fields.update({f"feedback_questions.{index}.key": f"q{row}_key",
                           f"feedback_questions.{index}.text": f"q{row}_en",
                           f"feedback_questions.{index}": f"q{row}_key"})
            fields.update({f"feedback_questions.{index}.text.{lang}": f"q{row}_{lang}" for lang in LANGUAGES})
        return questions


def field_for(path: str, fields: dict[str, str]) -> str:
    """The form field of a gateway path; the nearest known parent's when the path is deeper (a dict's key)."""
    while path:
        if path in fields:
            return fields[path]
        path = path.rpartition(".")[0]
    return ""


def _instant(typed: str, zone: str) -> str | None:
    """A `datetime-local` value in the edition's zone as an aware ISO instant; as typed if it cannot be read."""
    if not typed:
        return None
    try:
        return datetime.fromisoformat(typed).replace(tzinfo=ZoneInfo(zone)).isoformat()
    except (ValueError, ZoneInfoNotFoundError):
        return typed


def _count(typed: str | None, default: int) -> int:
    try:
        return max(1, min(20, int(typed or default)))
    except ValueError:
        return default
