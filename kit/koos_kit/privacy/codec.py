"""Sealing an envelope's personal fields for the wire, and opening them again after consuming.

Which fields are personal is read from the contracts: a field annotated `Personal[...]` (or with
`x-personal` in its JSON Schema extra), inside any value of the message. A personal field's subject is the
`subject_id` (else `person_id`) of the object holding it, else the nearest enclosing object's (or the sibling
field its `x-personal-subjects` names). Sealing a
subject without a key leaves the field plain (data that did not enter through the gateway, as in tests of a
single service; counted by `koos_privacy_unsealed_total`); opening leaves plain fields as they are, and a
field whose key is gone opens to a placeholder that says so.
"""

import functools
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from prometheus_client import Counter
from pydantic import BaseModel

from koos_contracts import Envelope
from koos_contracts.catalogue import MESSAGE_TYPES
from koos_contracts.values import PERSONAL, PERSONAL_MARK, PERSONAL_SUBJECTS, Sealed
from koos_kit.privacy.keyring import ERASED_NAME, KeyRing, erased_address

UNSEALED = Counter("koos_privacy_unsealed_total", "Personal fields published plain: no key for their subject",
                   ["type"])
OPENED_ERASED = Counter("koos_privacy_erased_opened_total", "Sealed fields whose key is gone, opened to a placeholder")
SEALED_MARKER = b'"sealed":"A256GCM"'
"""What a record's value contains when it carries a sealed field (Koos writes compact JSON)."""
Data = dict[str, Any]


@dataclass(frozen=True)
class _Plan:
    personal: tuple[tuple[str, str | None], ...]
    """Each personal field, with the sibling list naming its items' subjects (if it has one)."""
    nested: tuple[tuple[str, "_Plan"], ...]

    @property
    def empty(self) -> bool:
        return not self.personal and not self.nested


def _annotations(annotation: Any) -> Iterator[Any]:
    """The annotation and every type inside it (unions, tuples, lists, Annotated)."""
    yield annotation
    for argument in typing.get_args(annotation):
        if argument is not Ellipsis:
            yield from _annotations(argument)


def _marked(annotation: Any, metadata: list[Any], extra: Any) -> bool:
    if PERSONAL_MARK in metadata or (isinstance(extra, dict) and extra.get(PERSONAL)):
        return True
    return any(PERSONAL_MARK in getattr(a, "__metadata__", ()) for a in _annotations(annotation))


def _models(annotation: Any) -> list[type[BaseModel]]:
    return [c for c in _annotations(annotation) if isinstance(c, type) and issubclass(c, BaseModel)]


@functools.cache
def plan_of(model: type[BaseModel]) -> _Plan:
    """The personal fields of a model and of the values inside it."""
    personal, nested = [], []
    for name, info in model.model_fields.items():
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        if _marked(info.annotation, info.metadata, extra):
            subjects = extra.get(PERSONAL_SUBJECTS)
            personal.append((name, subjects if isinstance(subjects, str) else None))
            continue
        for inner in _models(info.annotation):
            inner_plan = plan_of(inner)
            if not inner_plan.empty:
                nested.append((name, inner_plan))
    return _Plan(tuple(personal), tuple(nested))


def seal_envelope(envelope: Envelope, ring: KeyRing) -> Envelope:
    """The envelope with its personal fields sealed by their subjects' keys (itself when it has none)."""
    message_type = MESSAGE_TYPES.get(envelope.type)
    if message_type is None or plan_of(message_type).empty:
        return envelope
    data = _seal(plan_of(message_type), envelope.data, ring, None, envelope.type)
    return envelope.model_copy(update={"data": data})


def _subject_of(data: Data, inherited: str | None) -> str | None:
    subject = data.get("subject_id") or data.get("person_id")
    return subject if isinstance(subject, str) and subject else inherited


def _seal(plan: _Plan, data: Data, ring: KeyRing, inherited: str | None, type_name: str) -> Data:
    subject = _subject_of(data, inherited)
    out = dict(data)
    for name, subjects in plan.personal:
        value = out.get(name)
        if subjects and isinstance(value, list) and isinstance(data.get(subjects), list):
            out[name] = [_seal_value(item, ring, _nth(data[subjects], n, subject), type_name)
                         for n, item in enumerate(value)]
        elif subjects and isinstance(data.get(subjects), str) and data[subjects]:
            out[name] = _seal_value(value, ring, data[subjects], type_name)
        elif value is not None:
            out[name] = _seal_value(value, ring, subject, type_name)
    for name, inner in plan.nested:
        value = out.get(name)
        if isinstance(value, dict):
            out[name] = _seal(inner, value, ring, subject, type_name)
        elif isinstance(value, list):
            out[name] = [_seal(inner, v, ring, subject, type_name) if isinstance(v, dict) else v for v in value]
    return out


def _nth(subjects: list[Any], n: int, default: str | None) -> str | None:
    subject = subjects[n] if n < len(subjects) else None
    return subject if isinstance(subject, str) and subject else default


def _seal_value(value: Any, ring: KeyRing, subject: str | None, type_name: str) -> Any:
    if isinstance(value, list):
        return [_seal_value(item, ring, subject, type_name) for item in value]
    if not isinstance(value, str):
        return value
    sealed = ring.seal(subject, value) if subject else None
    if sealed is None:
        UNSEALED.labels(type_name).inc()
        return value
    return sealed.model_dump()


def _as_sealed(value: Any) -> Sealed | None:
    if isinstance(value, dict) and value.get("sealed") == "A256GCM":
        try:
            return Sealed.model_validate(value)
        except ValueError:
            return None
    return None


def sealed_subjects(data: Any) -> set[str]:
    """The subjects of every sealed field in some data."""
    if (sealed := _as_sealed(data)) is not None:
        return {sealed.subject}
    if isinstance(data, dict):
        return set().union(*(sealed_subjects(v) for v in data.values()))
    if isinstance(data, list):
        return set().union(*(sealed_subjects(v) for v in data))
    return set()


def open_data(data: Data, ring: KeyRing) -> Data:
    """The data with every sealed field opened, or replaced by a placeholder when its key is gone."""
    return {name: _open(name, value, ring) for name, value in data.items()}


def _open(name: str, value: Any, ring: KeyRing) -> Any:
    if (sealed := _as_sealed(value)) is not None:
        text = ring.open(sealed)
        if text is None:
            OPENED_ERASED.inc()
            return erased_address(sealed.subject) if "email" in name else ERASED_NAME
        return text
    if isinstance(value, dict):
        return open_data(value, ring)
    if isinstance(value, list):
        return [_open(name, item, ring) for item in value]
    return value
