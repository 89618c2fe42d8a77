"""A person named inside a stored document (a contact or staff member in an application, a participant copied
into a projection): found for their export and anonymised for their erasure, wherever the document nests them.

A person is any object with an `email` and a `name` whose `subject_id` (else `person_id`) is theirs, as the
contracts' `Person` and `Participant` values are stored (`model_dump(mode="json")`). Anonymising keeps every
other field (a contact's role, a member's organisation), so counts and rules over the document stay true.
"""

from typing import Any

from koos_contracts.values import ERASED_NAME, erased_address

Document = Any


def is_them(value: Document, subject_id: str) -> bool:
    """Whether the value is the person's stored `Person` or `Participant`."""
    return (isinstance(value, dict) and "email" in value and "name" in value
            and (value.get("subject_id") or value.get("person_id")) == subject_id)


def people_in(document: Document, subject_id: str, path: str = "") -> list[tuple[str, dict[str, Any]]]:
    """Each place the person is named in the document, as (dotted path, the stored person)."""
    if is_them(document, subject_id):
        return [(path, document)]
    if isinstance(document, dict):
        items: list[tuple[str, Any]] = list(document.items())
    elif isinstance(document, list | tuple):
        items = [(str(i), v) for i, v in enumerate(document)]
    else:
        return []
    return [found for key, value in items for found in people_in(value, subject_id, f"{path}.{key}" if path else key)]


def anonymised(document: Document, subject_id: str) -> tuple[Document, int]:
    """The document with the person's name and address replaced by the erased ones; how many places changed (none
    when they were erased already)."""
    if is_them(document, subject_id):
        erased = {**document, "name": ERASED_NAME, "email": erased_address(subject_id)}
        return (document, 0) if erased == document else (erased, 1)
    if isinstance(document, dict):
        changed = 0
        result: dict[str, Any] = {}
        for key, value in document.items():
            result[key], count = anonymised(value, subject_id)
            changed += count
        return (result, changed) if changed else (document, 0)
    if isinstance(document, list | tuple):
        pairs = [anonymised(value, subject_id) for value in document]
        changed = sum(count for _, count in pairs)
        return ([value for value, _ in pairs], changed) if changed else (document, 0)
    return document, 0
