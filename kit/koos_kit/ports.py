"""Ports every service shares, free of any I/O library."""

from collections.abc import Sequence
from typing import Protocol

from koos_contracts import Envelope


class Publisher(Protocol):
    """Publishes envelopes; returns only once Kafka has acknowledged every one."""

    async def publish(self, envelopes: Sequence[Envelope]) -> None: ...


class Replies(Protocol):
    """Outcomes of commands that change no stored state (refusals, repeats): stored once, then published."""

    async def reply(self, command: Envelope, envelopes: Sequence[Envelope]) -> bool:
        """Publish the reply to a command unless it was replied to before; False then."""
        ...
