"""The CloudEvents Kafka protocol binding in binary mode: attributes in `ce_` headers, data as value."""

import json
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from koos_contracts.envelope import Envelope

CONTENT_TYPE_HEADER = "content-type"
_PREFIX = "ce_"


class MalformedRecord(ValueError):
    """A Kafka record that is not a Koos CloudEvent."""


Headers = list[tuple[str, bytes]]


def to_record(envelope: Envelope) -> tuple[bytes, bytes, Headers]:
    """Key, value and headers of the Kafka record for an envelope."""
    attributes = envelope.model_dump(mode="json", exclude={"data", "datacontenttype"})
    headers = [(_PREFIX + name, str(value).encode()) for name, value in attributes.items() if value is not None]
    headers.append((CONTENT_TYPE_HEADER, envelope.datacontenttype.encode()))
    value = json.dumps(envelope.data, ensure_ascii=False, separators=(",", ":")).encode()
    return envelope.partitionkey.encode(), value, headers


def from_record(value: bytes | None, headers: dict[str, str] | Headers) -> Envelope:
    """Rebuild the envelope from a Kafka record; raise MalformedRecord with a reason otherwise."""
    attributes = _attributes(headers)
    data = _decode_data(value)
    try:
        return Envelope(data=data, **attributes)
    except ValidationError as error:
        raise MalformedRecord(f"invalid CloudEvents headers: {_first_errors(error)}") from error


def header_text(headers: dict[str, str] | Headers) -> dict[str, str]:
    """Headers as text, whichever form the client gave them in."""
    pairs = headers.items() if isinstance(headers, dict) else headers
    return {name: value.decode(errors="replace") if isinstance(value, bytes) else str(value) for name, value in pairs}


def _attributes(headers: dict[str, str] | Headers) -> dict[str, Any]:
    text = header_text(headers)
    attributes: dict[str, Any] = {k[len(_PREFIX) :]: v for k, v in text.items() if k.startswith(_PREFIX)}
    if CONTENT_TYPE_HEADER in text:
        attributes["datacontenttype"] = text[CONTENT_TYPE_HEADER]
    if "time" in attributes:
        attributes["time"] = _parse_time(attributes["time"])
    return attributes


def _parse_time(text: str) -> datetime | str:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return text


def _decode_data(value: bytes | None) -> dict[str, Any]:
    if not value:
        raise MalformedRecord("empty record value")
    try:
        data = json.loads(value)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise MalformedRecord(f"value is not JSON: {error}") from error
    if not isinstance(data, dict):
        raise MalformedRecord("value is JSON but not an object")
    return data


def _first_errors(error: ValidationError, limit: int = 3) -> str:
    parts = [f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors()[:limit]]
    return "; ".join(parts)
