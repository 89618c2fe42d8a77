"""Idempotent consumers: a document remembers the last event ids applied to it."""

from typing import Any

APPLIED = "_applied"
REMEMBERED = 200

Update = dict[str, Any]


def not_yet_applied(filter_: dict[str, Any], event_id: str) -> dict[str, Any]:
    """Narrow a filter to documents that have not applied this event."""
    return {**filter_, APPLIED: {"$ne": event_id}}


def remember(update: Update, event_id: str) -> Update:
    """Make an update record the event id, in the same atomic write as its effect."""
    merged = {operator: dict(fields) for operator, fields in update.items()}
    merged.setdefault("$push", {})[APPLIED] = {"$each": [event_id], "$slice": -REMEMBERED}
    return merged
