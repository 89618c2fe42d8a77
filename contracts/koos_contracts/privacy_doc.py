"""`contracts/PRIVACY.md`, generated from the inventory: per service what it publishes and stores about people."""

from collections.abc import Mapping

from koos_contracts.base import Message
from koos_contracts.inventory import PUBLISHED, RETENTION, STORED, RetentionKind

HEADER = """# Personal data in Koos

Generated from `koos_contracts/inventory.py` by `python -m koos_contracts.schemagen write`; do not edit.
`schemagen check` fails when a message has a personal field (a `Person` or `Participant` value, an e-mail address,
a person's name, free text a person writes, a field marked `x-personal`) that this inventory does not list with a
purpose and a retention.
"""


def privacy_document(messages: Mapping[str, type[Message]]) -> str:
    """The whole document: the kinds of data and their retention, then each service's fields."""
    lines = [HEADER, "## Retention", "", "| kind | what | kept for | counted from | then |",
             "| --- | --- | --- | --- | --- |"]
    lines += [_kind_row(key, kind) for key, kind in RETENTION.items()]
    lines += ["", "A service's retention job (`koos_kit.retention`) enforces its kinds every "
              "`KOOS_RETENTION_INTERVAL_SECONDS`; an organisation's periods may differ "
              "(`KOOS_RETENTION_OVERRIDES`, e.g. `{\"oslo-kommune\": {\"mail\": 30}}`).", ""]
    for service in sorted({_owner(messages, p.message) for p in PUBLISHED} | {s.service for s in STORED}):
        lines += [f"## {service}", ""]
        published = [p for p in PUBLISHED if _owner(messages, p.message) == service]
        if published:
            lines += ["Publishes (or receives as commands):", "", "| message | field | purpose | retention |",
                      "| --- | --- | --- | --- |"]
            lines += [f"| `{p.message}` | `{p.path}` | {p.purpose} | {p.retention} |" for p in published]
            lines.append("")
        stored = [s for s in STORED if s.service == service]
        if stored:
            lines += ["Stores:", "", "| collection | fields | purpose | retention |", "| --- | --- | --- | --- |"]
            lines += [f"| `{s.collection}` | `{s.field}` | {s.purpose} | {s.retention} |" for s in stored]
            lines.append("")
    return "\n".join(lines)


def _kind_row(key: str, kind: RetentionKind) -> str:
    then = kind.action if not kind.note else f"{kind.action}: {kind.note}"
    kept = f"{kind.days} days" if kind.action != "none" else "the topic's retention"
    return f"| {key} | {kind.description} | {kept} | {kind.counted_from.replace('_', ' ')} | {then} |"


def _owner(messages: Mapping[str, type[Message]], type_name: str) -> str:
    message = messages.get(type_name)
    return message.topic.service if message is not None else "unknown"
