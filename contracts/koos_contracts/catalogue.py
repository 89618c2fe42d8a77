"""Every message type Koos knows, by its CloudEvents type, and the upcasters of old versions."""

from collections.abc import Callable
from typing import Any

from pydantic import ValidationError

from koos_contracts import (
    applications,
    evaluation,
    homework,
    jury,
    notifications,
    personal_data,
    programmes,
    registration,
    scheduling,
    teams,
)
from koos_contracts.base import Command, Event, Message
from koos_contracts.envelope import Envelope

_MODULES = (scheduling, programmes, registration, teams, applications, evaluation, jury, homework, notifications,
            personal_data)

Upcaster = Callable[[dict[str, Any]], dict[str, Any]]
UPCASTERS: dict[str, tuple[str, Upcaster]] = {}
"""Old type -> (newer type, function turning old data into the newer shape)."""


class UnknownMessageType(ValueError):
    """A CloudEvents type that no contract defines."""


class InvalidMessage(ValueError):
    """Data that does not satisfy the schema of its type."""


def _public_classes() -> list[type[Message]]:
    found: list[type[Message]] = []
    for module in _MODULES:
        for value in vars(module).values():
            if _is_public_message(value, module.__name__):
                found.append(value)
    return found


def _is_public_message(value: object, module_name: str) -> bool:
    return (isinstance(value, type) and issubclass(value, (Event, Command))
            and not value.__name__.startswith("_") and value.__module__ == module_name)


MESSAGE_TYPES: dict[str, type[Message]] = {cls.ce_type(): cls for cls in _public_classes()}

OUTCOMES: dict[str, tuple[str, ...]] = {
    command.ce_type(): tuple(event.ce_type() for event in events)
    for module in _MODULES for command, events in getattr(module, "OUTCOMES", {}).items()
}
"""Command type -> the event types of which exactly one answers it, carrying the command's id as causation."""

OUTCOME_TYPES: frozenset[str] = frozenset(name for names in OUTCOMES.values() for name in names)
"""Every event type that is the outcome of some command."""


def parse(envelope: Envelope) -> Message:
    """The typed message inside an envelope, upcast to the newest version."""
    type_name, data = _upcast(envelope.type, envelope.data)
    message_type = MESSAGE_TYPES.get(type_name)
    if message_type is None:
        raise UnknownMessageType(f"unknown message type {envelope.type!r}")
    try:
        return message_type.model_validate(data)
    except ValidationError as error:
        raise InvalidMessage(f"{type_name} does not match its schema: {_summary(error)}") from error


def _upcast(type_name: str, data: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    while type_name in UPCASTERS:
        type_name, upcaster = UPCASTERS[type_name]
        data = upcaster(data)
    return type_name, data


def _summary(error: ValidationError, limit: int = 5) -> str:
    parts = [f"{'.'.join(map(str, e['loc'])) or '(root)'}: {e['msg']}" for e in error.errors()[:limit]]
    return "; ".join(parts)
