"""Group commit: concurrent callers share a write, each gets its own result or its write's error."""

import asyncio

import pytest

from koos_kit.group_commit import GroupCommit


class Store:
    """A store whose writes take a while, recording the items of each write."""

    def __init__(self, fail_on: str | None = None) -> None:
        self.writes: list[list[str]] = []
        self.fail_on = fail_on

    async def write(self, items: list[str]) -> list[str]:
        self.writes.append(items)
        await asyncio.sleep(0.01)
        if self.fail_on in items:
            raise ConnectionError("the store went away")
        return [item.upper() for item in items]


async def test_a_caller_alone_is_written_at_once_and_gets_its_result() -> None:
    store = Store()
    group = GroupCommit(store.write)

    assert await group.submit("a") == "A"
    assert store.writes == [["a"]]


async def test_callers_arriving_during_a_write_share_the_next_one() -> None:
    store = Store()
    group = GroupCommit(store.write)

    first = asyncio.create_task(group.submit("first"))
    await asyncio.sleep(0.001)  # the first write is under way
    later = [asyncio.create_task(group.submit(f"item{n}")) for n in range(50)]

    assert await first == "FIRST"
    assert await asyncio.gather(*later) == [f"ITEM{n}" for n in range(50)]
    assert store.writes == [["first"], [f"item{n}" for n in range(50)]]


async def test_a_group_is_no_larger_than_its_limit() -> None:
    store = Store()
    group = GroupCommit(store.write, max_items=20)

    results = await asyncio.gather(*(group.submit(str(n)) for n in range(50)))

    assert results == [str(n) for n in range(50)]
    assert [len(w) for w in store.writes] == [20, 20, 10]


async def test_every_caller_of_a_failed_write_hears_of_it_and_the_next_group_is_written() -> None:
    store = Store(fail_on="bad")
    group = GroupCommit(store.write)

    failed = await asyncio.gather(group.submit("ok"), group.submit("bad"), return_exceptions=True)
    after = await group.submit("later")

    assert [type(r) for r in failed] == [ConnectionError, ConnectionError]
    assert after == "LATER"


async def test_a_cancelled_caller_leaves_its_item_written_for_the_others() -> None:
    store = Store()
    group = GroupCommit(store.write)
    gone = asyncio.create_task(group.submit("gone"))
    stays = asyncio.create_task(group.submit("stays"))
    await asyncio.sleep(0.001)

    gone.cancel()

    assert await stays == "STAYS"
    with pytest.raises(asyncio.CancelledError):
        await gone
    assert store.writes == [["gone", "stays"]]


def test_a_group_must_hold_something() -> None:
    with pytest.raises(ValueError):
        GroupCommit(Store().write, max_items=0)
