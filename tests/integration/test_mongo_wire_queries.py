"""Filters on the _id answer as MongoDB would: one _id or a list of them with more conditions (guarded updates),
and string ranges on the _id (a due queue's head), which the Mongo-wire launcher walks in _id order."""

import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
from pymongo import AsyncMongoClient, ReturnDocument
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError

pytestmark = pytest.mark.integration


@pytest.fixture
async def things(mongo_url: str) -> AsyncIterator[AsyncCollection[Any]]:
    client: AsyncMongoClient[Any] = AsyncMongoClient(mongo_url)
    collection = client[f"q_{uuid.uuid4().hex[:8]}"]["things"]
    await collection.insert_many([{"_id": f"t{i}", "version": i % 3, "tags": ["a", f"t{i}"], "n": i}
                                  for i in range(50)])
    await collection.insert_one({"_id": {"edition": "e1", "person": "p1"}, "version": 1})
    yield collection
    await client.close()


async def test_a_guard_that_holds_updates_exactly_that_document(things: AsyncCollection[Any]) -> None:
    result = await things.update_one({"_id": "t4", "version": 1}, {"$inc": {"version": 1}})
    assert (result.matched_count, result.modified_count) == (1, 1)
    assert (await things.find_one({"_id": "t4"}))["version"] == 2


async def test_a_guard_that_fails_updates_nothing(things: AsyncCollection[Any]) -> None:
    result = await things.update_one({"_id": "t4", "version": 0}, {"$inc": {"version": 1}})
    assert result.matched_count == 0
    assert await things.count_documents({"_id": "t4", "tags": {"$ne": "t4"}}) == 0
    assert await things.count_documents({"_id": "t4", "tags": {"$ne": "zz"}}) == 1


async def test_operators_on_the_id_and_embedded_ids_still_match(things: AsyncCollection[Any]) -> None:
    assert await things.count_documents({"_id": {"$in": ["t1", "t2", "t3"]}, "version": 1}) == 1
    assert await things.count_documents({"_id": {"edition": "e1", "person": "p1"}, "version": 1}) == 1
    assert await things.count_documents({"_id": {"edition": "e1", "person": "p1"}, "version": 2}) == 0


async def test_find_and_modify_with_a_guard_returns_the_document_before(things: AsyncCollection[Any]) -> None:
    before = await things.find_one_and_update({"_id": "t7", "n": {"$gt": 5}}, {"$set": {"n": 0}},
                                              return_document=ReturnDocument.BEFORE, projection={"n": 1})
    assert before == {"_id": "t7", "n": 7}
    assert await things.find_one_and_update({"_id": "t7", "n": {"$gt": 5}}, {"$set": {"n": 9}}) is None


QUEUED = [f"{t:015d}:{n}" for t in (5, 17, 230, 4_000, 4_000_001, 99_999_999_999) for n in ("a", "bb", "ö")]


@pytest.fixture
async def queue(mongo_url: str) -> AsyncIterator[AsyncCollection[Any]]:
    """String `_id`s that sort by time (a due queue), among `_id`s of other types and other fields."""
    client: AsyncMongoClient[Any] = AsyncMongoClient(mongo_url)
    collection = client[f"q_{uuid.uuid4().hex[:8]}"]["due"]
    await collection.insert_many([{"_id": key, "n": i, "lease": i % 3 == 0} for i, key in enumerate(QUEUED)])
    await collection.insert_many([{"_id": 17, "n": -1}, {"_id": {"at": 5}, "n": -2}, {"_id": 2.5, "n": -3},
                                  {"_id": "", "n": -4}, {"_id": "~after", "n": -5}])
    yield collection
    await client.close()


async def ids(collection: AsyncCollection[Any], query: dict[str, Any], *, limit: int = 0, skip: int = 0,
              ordered: bool = True) -> list[Any]:
    cursor = collection.find(query, {"_id": 1}).skip(skip).limit(limit)
    return [d["_id"] async for d in (cursor.sort("_id", 1) if ordered else cursor)]


def key(t: int, n: str = "") -> str:
    return f"{t:015d}:{n}"


async def test_a_range_on_the_id_keeps_its_bounds_as_mongodb_does(queue: AsyncCollection[Any]) -> None:
    assert await ids(queue, {"_id": {"$gte": key(17, "a"), "$lte": key(230, "bb")}}) == [
        key(17, "a"), key(17, "bb"), key(17, "ö"), key(230, "a"), key(230, "bb")]
    assert await ids(queue, {"_id": {"$gt": key(17, "a"), "$lt": key(230, "bb")}}) == [
        key(17, "bb"), key(17, "ö"), key(230, "a")]
    assert await ids(queue, {"_id": {"$lt": key(17)}}) == ["", key(5, "a"), key(5, "bb"), key(5, "ö")]
    assert await ids(queue, {"_id": {"$gt": key(99_999_999_999, "bb")}}) == [key(99_999_999_999, "ö"), "~after"]


async def test_the_head_of_a_range_comes_in_id_order_with_or_without_a_sort(queue: AsyncCollection[Any]) -> None:
    due = {"_id": {"$lt": f"{4_000:015d};"}}

    assert await ids(queue, due, limit=4) == ["", key(5, "a"), key(5, "bb"), key(5, "ö")]
    assert await ids(queue, due, limit=4, ordered=False) == ["", key(5, "a"), key(5, "bb"), key(5, "ö")]
    assert await ids(queue, due, limit=2, skip=3) == [key(5, "ö"), key(17, "a")]
    assert await queue.count_documents(due) == 1 + 4 * 3
    first = await queue.find_one({"_id": {"$gte": key(6)}}, sort=[("_id", 1)])
    assert first is not None and first["_id"] == key(17, "a")


async def test_other_conditions_narrow_a_range_and_its_limit_counts_only_matches(
        queue: AsyncCollection[Any]) -> None:
    leases = await ids(queue, {"_id": {"$gte": key(0), "$lt": key(4_000_001)}, "lease": True}, limit=3)

    assert leases == [key(5, "a"), key(17, "a"), key(230, "a")]
    assert await ids(queue, {"_id": {"$gte": key(0)}, "n": {"$gte": 15}}) == QUEUED[15:]


async def test_an_empty_range_finds_nothing(queue: AsyncCollection[Any]) -> None:
    assert await ids(queue, {"_id": {"$gt": key(18), "$lt": key(229)}}) == []
    assert await ids(queue, {"_id": {"$gt": key(300), "$lt": key(200)}}, limit=5) == []
    assert await ids(queue, {"_id": {"$gte": key(0)}, "n": 1000}, limit=1) == []


async def test_writes_and_descending_sorts_through_a_range_still_answer_right(queue: AsyncCollection[Any]) -> None:
    removed = await queue.delete_many({"_id": {"$lte": key(17, "zz")}, "lease": False})
    assert removed.deleted_count == 3
    assert await ids(queue, {"_id": {"$lt": key(18)}}) == ["", key(5, "a"), key(17, "a"), key(17, "ö")]
    changed = await queue.update_many({"_id": {"$gt": key(4_000)}}, {"$set": {"late": True}})
    assert changed.modified_count == 3 * 3 + 1
    newest = await queue.find_one({"_id": {"$lt": key(10**12)}}, sort=[("_id", -1)])
    assert newest is not None and newest["_id"] == key(99_999_999_999, "ö")


async def test_ranges_answer_as_a_scan_of_every_document_does(queue: AsyncCollection[Any]) -> None:
    leases = {d["_id"]: bool(d.get("lease")) async for d in queue.find({}) if isinstance(d["_id"], str)}
    strings = sorted(leases)
    bounds = ["", key(0), key(5, "bb"), key(17), key(17, "ö"), key(231), key(4_000_001, "a"), key(10**13), "~"]
    for low in bounds:
        for high in bounds:
            expected = [s for s in strings if low <= s < high]
            assert await ids(queue, {"_id": {"$gte": low, "$lt": high}}) == expected
            assert await ids(queue, {"_id": {"$gte": low, "$lt": high}}, limit=2) == expected[:2]
            assert await ids(queue, {"_id": {"$gt": low, "$lte": high}, "lease": True}) == [
                s for s in strings if low < s <= high and leases[s]]


async def test_a_list_of_ids_with_more_conditions_finds_exactly_the_matching(things: AsyncCollection[Any]) -> None:
    found = [d["_id"] async for d in things.find({"_id": {"$in": ["t1", "t4", "t7", "nope"]}, "version": 1})]
    assert sorted(found) == ["t1", "t4", "t7"]
    assert await things.count_documents({"_id": {"$in": ["t1", "t2"]}, "version": 2}) == 1
    assert await things.count_documents({"_id": {"$in": []}, "version": 1}) == 0


async def test_ids_are_still_unique_and_found_after_a_kill_and_a_restart(mongo_server: Any) -> None:
    name = f"q_{uuid.uuid4().hex[:8]}"
    before: AsyncMongoClient[Any] = AsyncMongoClient(mongo_server.url)
    await before[name]["things"].insert_many([{"_id": f"t{i}", "n": i} for i in range(20)] + [{"_id": 7, "n": -7}])
    await before.close()
    mongo_server.kill9()
    mongo_server.start()
    client: AsyncMongoClient[Any] = AsyncMongoClient(mongo_server.url)
    collection = client[name]["things"]

    with pytest.raises(DuplicateKeyError):
        await collection.insert_one({"_id": "t3"})
    with pytest.raises(DuplicateKeyError):
        await collection.insert_one({"_id": 7.0})
    await collection.delete_one({"_id": "t4"})
    await collection.insert_one({"_id": "t4", "n": 44})
    assert (await collection.find_one({"_id": "t4"}) or {}).get("n") == 44
    assert await collection.count_documents({"_id": {"$in": ["t1", "t4", "t30"]}}) == 2
    await client.close()
