"""A person named inside a stored document (a contact or staff member in an application, a participant copied
into a projection): found for their export and anonymised for their erasure, wherever the document nests them;
and everyone a document names, anonymised when its retention period is over (`PeoplePurge`).

A person is any object with an `email` and a `name` whose `subject_id` (else `person_id`) is theirs, as the
contracts' `Person` and `Participant` values are stored (`model_dump(mode="json")`). Anonymising keeps every
other field (a contact's role, a member's organisation), so counts and rules over the document stay true.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pymongo.asynchronous.collection import AsyncCollection

from koos_contracts.values import ERASED_NAME, erased_address
from koos_kit.retention import Purge, Windows

Document = Any


def is_them(value: Document, subject_id: str) -> bool:
    """Whether the value is the person's stored `Person` or `Participant`."""
    return _is_person(value) and (value.get("subject_id") or value.get("person_id")) == subject_id


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
    return _anonymised_where(document, lambda value: is_them(value, subject_id))


def forgotten(document: Document, free_text: tuple[str, ...] = ()) -> tuple[Document, int]:
    """The document with everyone it names anonymised (a person stored without a subject too), and the free text
    at the dotted paths erased; how many people were (none when nobody was left to anonymise)."""
    document, changed = _anonymised_where(document, _is_person)
    if changed:
        for path in free_text:
            document = _erased_at(document, path.split("."))
    return document, changed


def _is_person(value: Document) -> bool:
    return isinstance(value, dict) and isinstance(value.get("email"), str) and isinstance(value.get("name"), str)


def _anonymised_where(document: Document, chosen: Callable[[Document], bool]) -> tuple[Document, int]:
    """The document with each chosen person's name and address replaced by the erased ones; how many changed."""
    if _is_person(document) and chosen(document):
        subject = document.get("subject_id") or document.get("person_id") or "anonymous"
        erased = {**document, "name": ERASED_NAME, "email": erased_address(str(subject))}
        return (document, 0) if erased == document else (erased, 1)
    if isinstance(document, dict):
        pairs = {key: _anonymised_where(value, chosen) for key, value in document.items()}
        changed = sum(count for _, count in pairs.values())
        return ({key: value for key, (value, _) in pairs.items()}, changed) if changed else (document, 0)
    if isinstance(document, list | tuple):
        items = [_anonymised_where(value, chosen) for value in document]
        changed = sum(count for _, count in items)
        return ([value for value, _ in items], changed) if changed else (document, 0)
    return document, 0


def _erased_at(document: Document, path: list[str]) -> Document:
    if not isinstance(document, dict) or path[0] not in document:
        return document
    if len(path) == 1:
        return {**document, path[0]: ERASED_NAME} if isinstance(document[path[0]], str) else document
    return {**document, path[0]: _erased_at(document[path[0]], path[1:])}


@dataclass(frozen=True)
class PeoplePurge:
    """Anonymises everyone named in the documents of a collection whose moment (a datetime field) is past the
    kind's period. A versioned document is written only at the version read (one changed meanwhile waits for the
    next run); the other fields, counts and statuses stay."""

    kind: str
    collection: AsyncCollection[dict[str, Any]]
    moment_field: str
    free_text: tuple[str, ...] = ()

    def purge(self) -> Purge:
        return Purge(self.kind, self.collection.name, self.run)

    async def run(self, windows: Windows) -> int:
        purged = 0
        for past in windows.filters(self.moment_field):
            async for document in self.collection.find(past):
                changed, count = forgotten(document, self.free_text)
                if not count:
                    continue
                fields = {key: value for key, value in changed.items() if document.get(key) != value}
                guard: dict[str, Any] = {"_id": document["_id"]}
                if "_version" in document:
                    guard["_version"] = document["_version"]
                    fields["_version"] = document["_version"] + 1
                result = await self.collection.update_one(guard, {"$set": fields})
                purged += count if result.matched_count else 0
        return purged
