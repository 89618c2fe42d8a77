"""What a service consumes: its topics and a handler per message type, per record or per batch."""

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from koos_contracts import Envelope
from koos_kit.messaging.records import Record

Handler = Callable[[Any, Envelope], Awaitable[None]]
PortedHandler = Callable[[Any, Envelope, Any], Awaitable[None]]

@dataclass(frozen=True)
class Delivery:
    """A decoded record: the typed message, its envelope and where it was read."""

    message: Any
    envelope: Envelope
    record: Record


@dataclass(frozen=True)
class Waiting:
    """A delivery its batch handler could not decide yet, and why."""

    delivery: Delivery
    reason: str


BatchHandler = Callable[[Sequence[Delivery]], Awaitable[Sequence[Waiting]]]


def bind(handler: PortedHandler, ports: Any) -> Handler:
    """A handler with its ports filled in, as a subscription wants it."""

    async def handle(message: Any, envelope: Envelope) -> None:
        await handler(message, envelope, ports)

    return handle


@dataclass(frozen=True)
class Subscription:
    """Topics a service consumes and the handler of each message type it cares about."""

    topics: tuple[str, ...]
    handlers: Mapping[str, Handler] = field(default_factory=dict)
    batch_handlers: Mapping[str, BatchHandler] = field(default_factory=dict)
    dead_letter_unhandled: bool = False
    dead_letter_poison: bool = True
    """Whether this service dead-letters a record of its topics that cannot be read. On a topic every holder of
    some data reads in its own group, one of them does (so a dead letter is written once); the others skip it."""
