"""Ports every service shares, free of any I/O library."""

from collections.abc import Sequence
from typing import Protocol

from koos_contracts import Envelope


class Publisher(Protocol):
    """Publishes envelopes; returns only once Kafka has acknowledged every one."""

    async def publish(self, envelopes: Sequence[Envelope]) -> None: ...
