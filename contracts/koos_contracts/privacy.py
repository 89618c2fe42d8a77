"""Which fields of a message are personal, and whether the inventory accounts for each with a purpose and a retention.

A field is personal when its schema is a `Person` or `Participant` value, an e-mail address (`format: email`), a
person's name (`PersonName`), free text a person writes (a field named like `comment` or `quotes`), or marked
`"x-personal": true`. `python -m koos_contracts.schemagen check` fails on a personal field without an inventory
entry, on an entry naming a field that does not exist, and on an entry without a purpose or a known retention; it
also keeps `contracts/PRIVACY.md` (generated from the inventory) up to date.
"""

from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter

from koos_contracts.base import Message
from koos_contracts.inventory import PUBLISHED, RETENTION, STORED, Published, Stored
from koos_contracts.values import PersonName

PERSONAL_VALUES = frozenset({"Person", "Participant"})
FREE_TEXT_NAMES = frozenset({"comment", "comments", "quote", "quotes", "answer", "answers", "note", "notes",
                             "message", "free_text"})
PERSONAL_MARK = "x-personal"
PRIVACY_FILE = Path(__file__).resolve().parent.parent / "PRIVACY.md"
_PERSON_NAME = TypeAdapter(PersonName).json_schema()

Schema = Mapping[str, Any]


def personal_paths(schema: Schema) -> set[str]:
    """The paths (`person`, `quotes[]`, `answers{}.text`) of the personal fields of a message's JSON Schema."""
    return set(_walk(schema, "", schema.get("$defs", {}), frozenset()))


def _walk(node: Schema, path: str, defs: Schema, seen: frozenset[str]) -> Iterator[str]:
    if "$ref" in node:
        name = str(node["$ref"]).rsplit("/", 1)[-1]
        if name in PERSONAL_VALUES:
            yield path
        elif name not in seen and name in defs:
            yield from _walk(defs[name], path, defs, seen | {name})
        return
    if node.get(PERSONAL_MARK) or node.get("format") == "email" or _is_person_name(node):
        yield path
        return
    for key in ("anyOf", "oneOf", "allOf"):
        for option in node.get(key, ()):
            yield from _walk(option, path, defs, seen)
    for name, field in node.get("properties", {}).items():
        inner = f"{path}.{name}" if path else name
        if name in FREE_TEXT_NAMES:
            yield inner
        else:
            yield from _walk(field, inner, defs, seen)
    for key, suffix in (("items", "[]"), ("additionalProperties", "{}")):
        if isinstance(node.get(key), Mapping):
            yield from _walk(node[key], path + suffix, defs, seen)
    for item in node.get("prefixItems", ()):
        yield from _walk(item, path + "[]", defs, seen)


def _is_person_name(node: Schema) -> bool:
    return all(node.get(key) == value for key, value in _PERSON_NAME.items())


def field_paths(schema: Schema) -> set[str]:
    """Every path of a message's JSON Schema, so that an inventory entry can be checked to name a real field."""
    return set(_all_paths(schema, "", schema.get("$defs", {}), frozenset()))


def _all_paths(node: Schema, path: str, defs: Schema, seen: frozenset[str]) -> Iterator[str]:
    if path:
        yield path
    if "$ref" in node:
        name = str(node["$ref"]).rsplit("/", 1)[-1]
        if name not in seen and name in defs:
            yield from _all_paths(defs[name], path, defs, seen | {name})
        return
    for key in ("anyOf", "oneOf", "allOf"):
        for option in node.get(key, ()):
            yield from _all_paths(option, path, defs, seen)
    for name, field in node.get("properties", {}).items():
        yield from _all_paths(field, f"{path}.{name}" if path else name, defs, seen)
    for key, suffix in (("items", "[]"), ("additionalProperties", "{}")):
        if isinstance(node.get(key), Mapping):
            yield from _all_paths(node[key], path + suffix, defs, seen)


def inventory_problems(messages: Mapping[str, type[Message]], published: Iterable[Published] = PUBLISHED,
                       stored: Iterable[Stored] = STORED) -> list[str]:
    """Personal fields the inventory does not account for, and entries that are stale or incomplete."""
    from koos_contracts.schemagen import message_schema

    listed: dict[str, set[str]] = {}
    found: list[str] = []
    for entry in published:
        listed.setdefault(entry.message, set()).add(entry.path)
        found += _incomplete(f"{entry.message} {entry.path}", entry.purpose, entry.retention)
    for type_name, message_type in sorted(messages.items()):
        schema = message_schema(message_type)
        for path in sorted(personal_paths(schema) - listed.get(type_name, set())):
            found.append(f"{type_name} {path}: personal field without an inventory entry (purpose and retention) "
                         f"in koos_contracts.inventory")
        for path in sorted(listed.get(type_name, set()) - field_paths(schema)):
            found.append(f"{type_name} {path}: the inventory names a field the message does not have")
    found += [f"{name}: the inventory names an unknown message type" for name in sorted(set(listed) - set(messages))]
    for item in stored:
        found += _incomplete(f"{item.service} {item.collection}.{item.field}", item.purpose, item.retention)
    return found


def _incomplete(what: str, purpose: str, retention: str) -> list[str]:
    found = [f"{what}: no purpose in the inventory"] if not purpose.strip() else []
    if retention not in RETENTION:
        found.append(f"{what}: retention {retention!r} is not a kind of koos_contracts.inventory.RETENTION")
    return found
