"""A wake-up call for requests waiting on an outcome that this process's consumer just stored."""

import asyncio
import contextlib


class OutcomeSignal:
    """Waiters sleep until notified or until their timeout; another replica's outcome is found by polling."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def notify(self) -> None:
        """Wake every current waiter."""
        self._event.set()
        self._event = asyncio.Event()

    async def wait(self, seconds: float) -> None:
        """Sleep until the next notification or for `seconds`, whichever comes first."""
        event = self._event
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(event.wait(), max(0.0, seconds))
