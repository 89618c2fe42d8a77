"""The CloudEvents Kafka protocol binding in binary mode: attributes in `ce_` headers, data as value.

Reading is tolerant where CloudEvents and the record itself allow it: without `ce_time` the event's time is
the record's timestamp, without `ce_partitionkey` its partition key is the record key, without
`ce_correlationid` the event starts its own correlation (its `ce_id`), without `content-type` the data is
JSON; `ce_` attributes Koos does not know are ignored. Koos itself always writes all of them.
"""

import json
from datetime import UTC, datetime
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


def from_record(value: bytes | None, headers: dict[str, str] | Headers, *, key: bytes | None = None,
                timestamp_ms: int | None = None) -> Envelope:
    """Rebuild the envelope from a Kafka record (its key and timestamp fill in what CloudEvents leaves optional);
    raise MalformedRecord with a reason otherwise."""
    attributes = _attributes(headers)
    _fill_in(attributes, key, timestamp_ms)
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


def _fill_in(attributes: dict[str, Any], key: bytes | None, timestamp_ms: int | None) -> None:
    if "time" not in attributes and timestamp_ms is not None and timestamp_ms >= 0:
        attributes["time"] = datetime.fromtimestamp(timestamp_ms / 1000, UTC)
    if "partitionkey" not in attributes and key:
        attributes["partitionkey"] = key.decode(errors="replace")
    if "correlationid" not in attributes and attributes.get("id"):
        attributes["correlationid"] = attributes["id"]


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
    except RecursionError as error:
        raise MalformedRecord("value is JSON nested deeper than a message can be") from error
    if not isinstance(data, dict):
        raise MalformedRecord("value is JSON but not an object")
    return data


def _first_errors(error: ValidationError, limit: int = 3) -> str:
    parts = [f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors()[:limit]]
    return "; ".join(parts)
