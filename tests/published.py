"""Reading the published contract as a partner would: what a message requires, and nothing more."""

from collections.abc import Callable
from typing import Any

from jsonschema import Draft202012Validator
from referencing import Registry, Resource

Document = dict[str, Any]


def channel_messages(asyncapi: Document, channel: str) -> dict[str, Document]:
    """The messages of a channel, their `$ref`s resolved, by their CloudEvents type."""
    found = {}
    for ref in asyncapi["channels"][channel]["messages"].values():
        message = asyncapi["components"]["messages"][ref["$ref"].rsplit("/", 1)[1]]
        found[message["name"]] = message
    return found


def required_headers(message: Document, values: dict[str, str]) -> dict[str, str]:
    """The headers the message requires: `const` ones as the document gives them, the others from `values`."""
    properties = message["headers"]["properties"]
    return {name: properties[name].get("const", values.get(name)) for name in message["headers"]["required"]}


def required_only(schema: Document, value: Any, root: Document | None = None) -> Any:
    """The part of a valid value its schema requires: optional properties left out, at every depth."""
    root = root or schema
    schema = _resolved(schema, root)
    if isinstance(value, dict) and "properties" in schema:
        return {name: required_only(schema["properties"][name], value[name], root)
                for name in schema.get("required", []) if name in value}
    if isinstance(value, list) and isinstance(schema.get("items"), dict):
        return [required_only(schema["items"], item, root) for item in value]
    return value


def validator(schema: Document, schemas: Callable[[str], Document]) -> Draft202012Validator:
    """A validator of the schema (formats checked) that finds the other published schemas by `$id`."""
    registry: Registry[Any] = Registry(retrieve=lambda uri: Resource.from_contents(schemas(uri)))
    return Draft202012Validator(schema, registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER)


def _resolved(schema: Document, root: Document) -> Document:
    ref = schema.get("$ref", "")
    if ref.startswith("#/$defs/"):
        return _resolved(root["$defs"][ref.removeprefix("#/$defs/")], root)
    return schema
