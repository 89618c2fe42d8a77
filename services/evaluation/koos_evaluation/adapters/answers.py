"""Answers in MongoDB: one document per edition and person, under a deterministic `_id`."""

from typing import Any
from uuid import UUID

from pymongo import ASCENDING
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError

from koos_evaluation.domain.answer import Answer, answer_id
from koos_evaluation.service_layer.ports import Answers

Document = dict[str, Any]


class MongoAnswers(Answers):
    """Inserting an answer a second time fails on its `_id`, so a person has one answer per edition."""

    def __init__(self, collection: AsyncCollection[Document]) -> None:
        self._answers = collection

    async def ensure_indexes(self) -> None:
        """Indexes the queries need."""
        await self._answers.create_index([("edition_id", ASCENDING), ("submitted_at", ASCENDING)])
        await self._answers.create_index([("organisation_id", ASCENDING), ("person_id", ASCENDING)])

    async def get(self, edition_id: UUID, person_id: str) -> Answer | None:
        document = await self._answers.find_one({"_id": answer_id(edition_id, person_id)})
        return _answer(document) if document else None

    async def add(self, answer: Answer) -> bool:
        try:
            await self._answers.insert_one(_document(answer))
        except DuplicateKeyError:
            return False
        return True

    async def of_edition(self, edition_id: UUID) -> list[Answer]:
        cursor = self._answers.find({"edition_id": str(edition_id)}).sort(
            [("submitted_at", ASCENDING), ("_id", ASCENDING)])
        return [_answer(document) async for document in cursor]

    async def of_person(self, organisation_id: str, person_id: str) -> list[Answer]:
        cursor = self._answers.find({"organisation_id": organisation_id, "person_id": person_id}).sort("_id", 1)
        return [_answer(document) async for document in cursor]

    async def drop_comment(self, edition_id: UUID, person_id: str) -> bool:
        result = await self._answers.update_one({"_id": answer_id(edition_id, person_id), "comment": {"$ne": None}},
                                                {"$set": {"comment": None}})
        return result.modified_count > 0


def _document(answer: Answer) -> Document:
    return {
        "_id": answer.answer_id,
        "edition_id": str(answer.edition_id),
        "organisation_id": answer.organisation_id,
        "person_id": answer.person_id,
        "ratings": answer.ratings,
        "comment": answer.comment,
        "submitted_at": answer.submitted_at,
        "command_id": answer.command_id,
    }


def _answer(document: Document) -> Answer:
    return Answer(
        edition_id=UUID(document["edition_id"]),
        organisation_id=document["organisation_id"],
        person_id=document["person_id"],
        ratings=dict(document["ratings"]),
        comment=document["comment"],
        submitted_at=document["submitted_at"],
        command_id=document["command_id"],
    )
