"""Filters that name one _id and more conditions (guarded updates) answer as MongoDB would."""

import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
from pymongo import AsyncMongoClient, ReturnDocument
from pymongo.asynchronous.collection import AsyncCollection

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
