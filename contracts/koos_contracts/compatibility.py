"""Backward compatibility of a message schema with its published version: the rule a partner relies on.

Readers are tolerant (fields they do not know are ignored) and schemas leave objects open, so within a
version a message may gain optional fields. It may not lose, rename or retype a field, require one that
was optional, change a field's allowed values (`enum`, `const`, `format`), or close an open object: those
are breaking changes and need a new version of the message type.

One widening is made on purpose within a version: a personal field may become sealable (`x-personal`:
the old value, or a `Sealed` object readers open with the subject's key, see "Personal data" in
contracts/README.md); the old shape stays one of its options and is compared as before.
"""

from typing import Any

from koos_contracts.values import PERSONAL

Schema = dict[str, Any]


def breaking_changes(old: Schema, new: Schema) -> list[str]:
    """What a new schema breaks for readers or writers of the old one: removed, retyped or newly required
    fields, changed allowed values, objects closed to fields they do not know."""
    return _compare(old, new, old.get("$defs", {}), new.get("$defs", {}), "")


def _compare(old: Schema, new: Schema, old_defs: Schema, new_defs: Schema, path: str) -> list[str]:
    old, new = _resolve(old, old_defs), _resolve(new, new_defs)
    old, new = _unsealed(old), _unsealed(new)
    if "properties" in old:
        return _compare_objects(old, new, old_defs, new_defs, path)
    if _shape(old) != _shape(new):
        return [f"{path or '(root)'}: type changed from {_shape(old)} to {_shape(new)}"]
    problems: list[str] = []
    for key, mark in (("items", "[]"), ("additionalProperties", "{}")):
        if isinstance(old.get(key), dict) and isinstance(new.get(key), dict):
            problems += _compare(old[key], new[key], old_defs, new_defs, f"{path}{mark}")
    return problems


def _compare_objects(old: Schema, new: Schema, old_defs: Schema, new_defs: Schema, path: str) -> list[str]:
    problems: list[str] = []
    if new.get("additionalProperties") is False and old.get("additionalProperties") is not False:
        problems.append(f"{path or '(root)'}: closed to fields it does not know")
    new_properties = new.get("properties", {})
    for name, old_property in old["properties"].items():
        where = f"{path}.{name}" if path else name
        if name not in new_properties:
            problems.append(f"{where}: field removed")
            continue
        problems += _compare(old_property, new_properties[name], old_defs, new_defs, where)
    for name in sorted(set(new.get("required", [])) - set(old.get("required", []))):
        problems.append(f"{path + '.' if path else ''}{name}: field became required")
    return problems


def _unsealed(schema: Schema) -> Schema:
    """A personal field's plain option (its other option is the `Sealed` object); null stays an option."""
    if schema.get(PERSONAL) and "anyOf" in schema:
        return _unsealed(schema["anyOf"][0])
    if "anyOf" in schema and any(option.get(PERSONAL) for option in schema["anyOf"]):
        return {**schema, "anyOf": [_unsealed(option) for option in schema["anyOf"]]}
    return schema


def _resolve(schema: Schema, defs: Schema) -> Schema:
    ref = schema.get("$ref", "")
    if ref.startswith("#/$defs/"):
        return _resolve(defs[ref.removeprefix("#/$defs/")], defs)
    return schema


def _shape(schema: Schema) -> Any:
    """What a reader or writer relies on: the type, format and allowed values (constraints may loosen)."""
    if "anyOf" in schema:
        return sorted(str(_shape(option)) for option in schema["anyOf"])
    shape: dict[str, Any] = {key: schema[key] for key in ("$ref", "type", "format", "const", "enum") if key in schema}
    for key in ("items", "additionalProperties"):
        if key in schema:
            shape[key] = "a schema" if isinstance(schema[key], dict) else schema[key]
    if "prefixItems" in schema:
        shape["prefixItems"] = [_shape(item) for item in schema["prefixItems"]]
    return shape
