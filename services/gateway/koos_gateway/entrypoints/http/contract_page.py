"""The AsyncAPI document as a page a person reads: rendered here, from the document itself, with nothing
fetched from elsewhere (no script, no style sheet, no font from a CDN)."""

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

from koos_contracts.asyncapi import asyncapi_document
from koos_contracts.catalogue import MESSAGE_TYPES
from koos_contracts.schemagen import message_schema

Document = dict[str, Any]
_CODE = re.compile(r"`([^`]+)`")
_PARTNER_FIRST = ("partner_commands", "partner_results", "partner_commands_dlq")


@dataclass(frozen=True)
class Row:
    """One header or field of a message: its name, what it must be, whether it is required, what it means."""

    name: str
    shape: str
    required: bool
    meaning: str


@cache
def contract_page() -> str:
    """The page, rendered once per process (the document changes only with the code)."""
    document = asyncapi_document()
    environment = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                              autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True)
    environment.filters["prose"] = prose
    environment.filters["pretty"] = lambda value: json.dumps(value, indent=2, ensure_ascii=False)
    channels = sorted(document["channels"].items(), key=lambda item: (item[0] not in _PARTNER_FIRST, item[0]))
    return environment.get_template("asyncapi.html").render(
        document=document, channels=channels, operations=document["operations"],
        messages={name: _message_view(message) for name, message in document["components"]["messages"].items()})


def prose(text: str) -> Markup:
    """Paragraphs of the document's descriptions, with `code` spans; everything else escaped."""
    paragraphs = [_CODE.sub(r"<code>\1</code>", str(escape(part.strip()))) for part in text.split("\n\n")
                  if part.strip()]
    return Markup("".join(f"<p>{paragraph}</p>" for paragraph in paragraphs))


def _message_view(message: Document) -> dict[str, Any]:
    headers = message["headers"]
    view = {"headers": [Row(name, _shape(schema), name in headers.get("required", []), schema.get("description", ""))
                        for name, schema in sorted(headers["properties"].items())],
            "fields": [], "schema_file": ""}
    message_type = MESSAGE_TYPES.get(message["name"])
    if message_type is not None:
        schema = message_schema(message_type)
        view["fields"] = list(_fields(schema, schema, ""))
        view["schema_file"] = message["payload"]["$ref"]
    return view


def _fields(schema: Document, root: Document, prefix: str) -> list[Row]:
    rows: list[Row] = []
    required = set(schema.get("required", []))
    for name, field in schema.get("properties", {}).items():
        resolved = _resolved(field, root)
        path = f"{prefix}{name}"
        rows.append(Row(path, _shape(resolved), name in required, resolved.get("description", "")))
        nested = _resolved(resolved.get("items", {}), root) if resolved.get("type") == "array" else resolved
        if "properties" in nested:
            rows += _fields(nested, root, f"{path}{'[]' if nested is not resolved else ''}.")
    return rows


def _resolved(schema: Document, root: Document) -> Document:
    ref = schema.get("$ref", "")
    if ref.startswith("#/$defs/"):
        return _resolved(root["$defs"][ref.removeprefix("#/$defs/")], root)
    if "anyOf" in schema:
        options = [o for o in schema["anyOf"] if o.get("type") != "null"]
        if len(options) == 1:
            return {**_resolved(options[0], root), "description": schema.get("description", "")}
    return schema


def _shape(schema: Document) -> str:
    if "const" in schema:
        return f"= {json.dumps(schema['const'])}"
    if "enum" in schema:
        return " | ".join(json.dumps(value) for value in schema["enum"])
    parts = [schema.get("type", "any")]
    if isinstance(schema.get("items"), dict):
        parts = [f"array of {_shape(schema['items'])}"]
    if isinstance(schema.get("additionalProperties"), dict):
        parts = [f"map of {_shape(schema['additionalProperties'])}"]
    for key, label in (("format", ""), ("minLength", "≥ "), ("maxLength", "≤ "), ("minimum", "≥ "),
                       ("maximum", "≤ "), ("minItems", "≥ "), ("maxItems", "≤ ")):
        if key in schema:
            parts.append(f"{label}{schema[key]}" + (" chars" if "Length" in key else ""))
    if "pattern" in schema:
        parts.append(f"pattern {schema['pattern']}")
    return ", ".join(str(part) for part in parts)
