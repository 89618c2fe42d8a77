"""Backward compatibility of a message schema with its published version."""

from typing import Any

Schema = dict[str, Any]


def breaking_changes(old: Schema, new: Schema) -> list[str]:
    """What a new schema breaks for consumers of the old one: removed, retyped or newly required fields."""
    return _compare(old, new, old.get("$defs", {}), new.get("$defs", {}), "")


def _compare(old: Schema, new: Schema, old_defs: Schema, new_defs: Schema, path: str) -> list[str]:
    old, new = _resolve(old, old_defs), _resolve(new, new_defs)
    if "properties" in old:
        return _compare_objects(old, new, old_defs, new_defs, path)
    if _shape(old) != _shape(new):
        return [f"{path or '(root)'}: type changed from {_shape(old)} to {_shape(new)}"]
    return []


def _compare_objects(old: Schema, new: Schema, old_defs: Schema, new_defs: Schema, path: str) -> list[str]:
    problems: list[str] = []
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


def _resolve(schema: Schema, defs: Schema) -> Schema:
    ref = schema.get("$ref", "")
    if ref.startswith("#/$defs/"):
        return _resolve(defs[ref.removeprefix("#/$defs/")], defs)
    return schema


def _shape(schema: Schema) -> Any:
    if "anyOf" in schema:
        return sorted(str(_shape(option)) for option in schema["anyOf"])
    keys = ("type", "format", "const", "items", "prefixItems", "additionalProperties")
    return {key: schema[key] for key in keys if key in schema}
