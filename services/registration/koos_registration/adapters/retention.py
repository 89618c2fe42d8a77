"""Registration's retention: two years (by default) after an edition ends, its registrations lose the person.

A registration stays, with its status and ids, so the edition's seat counts and line are what they were; the
participant's name and e-mail address are blanked. The edition's offer first drops its last batch (the outbox of
its events, with the participants in them, long published by then), so that reading the offer never writes them
back. Two years (by default) after a team programme or an institution's application last changed, the people it
names (members, contacts, staff) read as erased, and so does the motivation a contact wrote.
"""

from typing import Any

from pymongo.asynchronous.collection import AsyncCollection

from koos_kit.privacy.people_in import PeoplePurge
from koos_kit.retention import Purge, Windows
from koos_kit.versioned import CHANGED_AT

Document = dict[str, Any]
FORGOTTEN = {"participant.email": "", "participant.name": ""}


class RegistrationRetention:
    """The purges of the registration service's store."""

    def __init__(self, offers: AsyncCollection[Document], registrations: AsyncCollection[Document],
                 programmes: AsyncCollection[Document], applications: AsyncCollection[Document]) -> None:
        self._offers = offers
        self._registrations = registrations
        self._programmes = programmes
        self._applications = applications

    def purges(self) -> list[Purge]:
        return [Purge("registrations", "registrations", self.anonymise_registrations),
                PeoplePurge("teams", self._programmes, CHANGED_AT).purge(),
                PeoplePurge("applications", self._applications, CHANGED_AT, ("applied.motivation.text",)).purge()]

    async def anonymise_registrations(self, windows: Windows) -> int:
        """Blank the people of the registrations of editions that ended before their period; how many."""
        editions = await self._editions_past(windows)
        if not editions:
            return 0
        await self._offers.update_many({"_id": {"$in": editions}},
                                       {"$set": {"pending": {"registrations": [], "joined": {}}, "events": []}})
        result = await self._registrations.update_many(
            {"edition_id": {"$in": editions}, "participant.email": {"$ne": ""}},
            {"$set": {**FORGOTTEN, "anonymised_at": windows.now}})
        await self._offers.update_many({"_id": {"$in": editions}}, {"$set": {"anonymised_at": windows.now}})
        return result.modified_count

    async def _editions_past(self, windows: Windows) -> list[str]:
        """Editions past their period whose people are not blanked yet."""
        found: list[str] = []
        for past in windows.filters("ends_at"):
            query = {**past, "anonymised_at": {"$exists": False}}
            found += [d["_id"] async for d in self._offers.find(query, {"_id": 1})]
        return found
