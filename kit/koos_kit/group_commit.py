"""Group commit: the writes that concurrent callers ask for go to the store together, each caller still waiting
for its own to be durable.

A request path that writes one document per request makes one store round trip (and, on the Mongo-wire
server, one commit) per request. Under load many requests wait on the store at the same moment; a
`GroupCommit` lets the first of them write at once, and every item that arrives while that write is under way
waits for the next one, which takes them all (up to `max_items`). An idle system adds no delay (one turn of the
event loop, so that callers of the same moment share the write); a busy one makes one write per round trip
instead of one per caller. Every caller gets its own result, or the error of the write its item was in: nothing
is acknowledged before it is written.
"""

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Generic, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

Write = Callable[[list[Item]], Awaitable[Sequence[Result]]]


class GroupCommit(Generic[Item, Result]):
    """Items of concurrent callers written together by `write`, which returns one result per item, in order."""

    def __init__(self, write: Write[Item, Result], max_items: int = 500) -> None:
        if max_items < 1:
            raise ValueError("a group holds at least one item")
        self._write = write
        self._max = max_items
        self._waiting: list[tuple[Item, asyncio.Future[Result]]] = []
        self._writer: asyncio.Task[None] | None = None
        self.writes = 0
        """How many writes were made (for tests and metrics)."""

    async def submit(self, item: Item) -> Result:
        """Write the item with whatever else is waiting; its result once the write is done."""
        future: asyncio.Future[Result] = asyncio.get_running_loop().create_future()
        self._waiting.append((item, future))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write_all())
        return await asyncio.shield(future)

    async def _write_all(self) -> None:
        await asyncio.sleep(0)
        while self._waiting:
            group, self._waiting = self._waiting[:self._max], self._waiting[self._max:]
            try:
                results = await self._write([item for item, _ in group])
                if len(results) != len(group):
                    raise RuntimeError(f"a group write of {len(group)} items gave {len(results)} results")
            except Exception as error:  # every caller of the group hears of it
                for _, future in group:
                    if not future.done():
                        future.set_exception(error)
                        future.exception()  # retrieved: a caller cancelled meanwhile leaves no warning
            else:
                self.writes += 1
                for (_, future), result in zip(group, results, strict=True):
                    if not future.done():
                        future.set_result(result)
