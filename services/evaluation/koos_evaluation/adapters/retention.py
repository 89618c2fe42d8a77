"""Evaluation's retention: a year (by default) after a survey closed, the comments written in it go.

The answers stay with their ratings, so that every question's responses, mean and distribution are what they
were; the comments and the survey's quotes drawn from them are removed. Two years (by default) after a jury round
last changed, the people it names (the institutions' contacts, jurors, mentors) read as erased; its applications,
scores and ranking stay. Two years (by default) after a programme's homework last changed, what its teams wrote
and attached, and the trainers' comments, read as erased; the versions, their times and reviews stay.
"""

from typing import Any

from pymongo.asynchronous.collection import AsyncCollection

from koos_evaluation.adapters.homework import MongoHomework
from koos_kit.privacy.people_in import PeoplePurge
from koos_kit.retention import Purge, Windows
from koos_kit.versioned import CHANGED_AT

Document = dict[str, Any]


class EvaluationRetention:
    """The purges of the evaluation service's store."""

    def __init__(self, surveys: AsyncCollection[Document], answers: AsyncCollection[Document],
                 rounds: AsyncCollection[Document] | None = None, homework: MongoHomework | None = None) -> None:
        self._surveys = surveys
        self._answers = answers
        self._rounds = rounds
        self._homework = homework

    def purges(self) -> list[Purge]:
        purges = [Purge("feedback_comments", "comments", self.remove_comments)]
        if self._rounds is not None:
            purges.append(PeoplePurge("applications", self._rounds, CHANGED_AT).purge())
        if self._homework is not None:
            purges.append(Purge("homework", "homework", self._homework.forget_past))
        return purges

    async def remove_comments(self, windows: Windows) -> int:
        """Remove the comments and quotes of surveys that closed before their period; how many comments."""
        surveys: list[str] = []
        for past in windows.filters("closes_at"):
            query = {**past, "comments_removed_at": {"$exists": False}}
            surveys += [d["_id"] async for d in self._surveys.find(query, {"_id": 1})]
        if not surveys:
            return 0
        result = await self._answers.update_many({"edition_id": {"$in": surveys}, "comment": {"$ne": None}},
                                                 {"$set": {"comment": None, "comment_removed_at": windows.now}})
        await self._surveys.update_many({"_id": {"$in": surveys}, "results.quotes": {"$exists": True}},
                                        {"$set": {"results.quotes": []}})
        await self._surveys.update_many({"_id": {"$in": surveys}}, {"$set": {"comments_removed_at": windows.now}})
        return result.modified_count
