"""The gateway's retention: its copies age like the services' originals, and its audit trail is kept two years.

Two years (by default) after an edition's last session ended, the contact data of its registrations is blanked
(the registrations stay, with their standing); a year after a survey closed, the quotes of its results go (the
counts and means stay). Two years (by default) after a team programme, an application or a jury round last
changed, the people its read model names read as erased (and the motivation an application's contact wrote).
"""

from collections.abc import AsyncIterator, Callable
from datetime import datetime
from typing import Any

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase

from koos_gateway.adapters.homework import MongoHomeworkGrid
from koos_kit.privacy.people_in import PeoplePurge
from koos_kit.retention import Purge, Windows

Document = dict[str, Any]


class GatewayRetention:
    """The purges of the gateway's read models."""

    def __init__(self, db: AsyncDatabase[Document], homework: MongoHomeworkGrid | None = None) -> None:
        self._editions = db["editions"]
        self._registrations = db["registrations"]
        self._results = db["survey_results"]
        self._forms = db["survey_forms"]
        self._audit = db["audit"]
        self._homework = homework or MongoHomeworkGrid(db["homework"])
        self._named = (PeoplePurge("teams", db["team_programmes"], "_changed_at"),
                       PeoplePurge("applications", db["applications"], "_changed_at", ("motivation.text",)),
                       PeoplePurge("applications", db["juries"], "_changed_at"))

    def purges(self) -> list[Purge]:
        return [Purge("registrations", "registrations", self.anonymise_registrations),
                Purge("feedback_comments", "quotes", self.remove_quotes),
                Purge("audit", "audit", self.forget_audit_entries), *(named.purge() for named in self._named),
                Purge("homework", "homework", self._homework.forget_past)]

    async def forget_audit_entries(self, windows: Windows) -> int:
        """Delete the audit entries older than their period; how many."""
        deleted = 0
        for past in windows.filters("at"):
            deleted += (await self._audit.delete_many(past)).deleted_count
        return deleted

    async def anonymise_registrations(self, windows: Windows) -> int:
        """Blank the contact data of registrations of editions that ended before their period; how many."""
        editions = [edition_id async for edition_id in self._past(self._editions, windows, _last_end)]
        if not editions:
            return 0
        result = await self._registrations.update_many(
            {"edition_id": {"$in": editions}, "contact.email": {"$nin": ["", None]}},
            {"$set": {"contact.email": "", "contact.name": "", "anonymised_at": windows.now}})
        await self._editions.update_many({"_id": {"$in": editions}}, {"$set": {"retained_until": windows.now}})
        return result.modified_count

    async def remove_quotes(self, windows: Windows) -> int:
        """Remove the quotes of the results of surveys that closed before their period; how many results."""
        surveys = [edition_id async for edition_id in self._past(self._forms, windows, _closes_at)]
        if not surveys:
            return 0
        result = await self._results.update_many({"_id": {"$in": surveys}, "results.quotes.0": {"$exists": True}},
                                                 {"$set": {"results.quotes": []}})
        await self._forms.update_many({"_id": {"$in": surveys}}, {"$set": {"retained_until": windows.now}})
        return result.modified_count

    @staticmethod
    async def _past(collection: AsyncCollection[Document], windows: Windows,
                    moment: Callable[[Document], datetime | None]) -> AsyncIterator[str]:
        projection = {"organisation_id": 1, "sessions.ends_at": 1, "opened.closes_at": 1}
        async for document in collection.find({"retained_until": {"$exists": False}}, projection):
            if windows.is_past(document["organisation_id"], moment(document)):
                yield document["_id"]


def _last_end(edition: Document) -> datetime | None:
    return max((s["ends_at"] for s in edition.get("sessions", ())), default=None)


def _closes_at(form: Document) -> datetime | None:
    closes_at = form.get("opened", {}).get("closes_at")
    return datetime.fromisoformat(closes_at) if closes_at else None
