"""What the gateway holds about a person, for their export and their erasure.

Its read model of registrations (with the contact data organisers see), its delivery log (pseudonymous), the
read models naming people inside them (team programmes' members, applications' contacts and staff, jury rounds'
released results), the person directory and the person's data key. Erasing anonymises the registrations (the
lists keep counting them) and every place a read model names the person (the motivation an application's contact
wrote goes with them), removes the directory entry and the person's earlier exports, and erases the key: a
tombstone on `koos.privacy.keys.v1`, after which no sealed copy of their data in any topic can be read. The read
models are searched per organisation (an erasure is rare; an organisation has few programmes and rounds).
"""

from collections.abc import Sequence
from typing import Any

from pymongo.asynchronous.collection import AsyncCollection

from koos_contracts.values import ERASED_NAME, erased_address
from koos_gateway.adapters.homework import MongoHomeworkGrid
from koos_gateway.service_layer.ports import PersonDirectory, PrivacyRequests
from koos_kit.privacy.people_in import anonymised, people_in
from koos_kit.privacy.requests import PersonalDataHolder

Document = dict[str, Any]


class GatewayHolder(PersonalDataHolder):
    """A person's registrations as the gateway shows them, their mail log, directory entry and key."""

    def __init__(self, registrations: AsyncCollection[Document], deliveries: AsyncCollection[Document],
                 people: PersonDirectory, requests: PrivacyRequests,
                 naming: Sequence[AsyncCollection[Document]] = (), homework: MongoHomeworkGrid | None = None) -> None:
        self._registrations = registrations
        self._deliveries = deliveries
        self._people = people
        self._requests = requests
        self._naming = tuple(naming)
        self._homework = homework

    async def export(self, subject_id: str, organisation_id: str) -> dict[str, Any]:
        of = {"organisation_id": organisation_id, "person_id": subject_id}
        registrations = self._registrations.find(of).sort("_id", 1)
        deliveries = self._deliveries.find({"person_id": subject_id}).sort("_id", 1)
        of_organisation = {"organisation_id": organisation_id}
        named = [{"kind": collection.name, "id": document["_id"], "as": path, "person": person}
                 for collection in self._naming async for document in collection.find(of_organisation)
                 for path, person in people_in(document, subject_id)]
        homework = [version for grid in await self._homework.handed_in_by(organisation_id, subject_id)
                    for version in grid.handed_in_by(subject_id)] if self._homework else []
        return {"registrations": [_without_bookkeeping(d) async for d in registrations],
                "mails": [_without_bookkeeping(d) async for d in deliveries], "named": named, "homework": homework}

    async def erase(self, subject_id: str, organisation_id: str) -> dict[str, int]:
        of = {"organisation_id": organisation_id, "person_id": subject_id, "contact": {"$ne": None}}
        anonymised = {"contact.name": ERASED_NAME, "contact.email": erased_address(subject_id)}
        registrations = await self._registrations.update_many(of, {"$set": anonymised})
        named = sum([await self._erase_from(collection, subject_id, organisation_id) for collection in self._naming])
        homework = await self._homework.erase(organisation_id, subject_id) if self._homework else 0
        exports = await self._requests.forget_exports_of(subject_id)
        await self._people.forget(subject_id)
        return {"registrations": registrations.modified_count, "named": named, "homework_versions": homework,
                "exports": exports, "keys": 1}

    @staticmethod
    async def _erase_from(collection: AsyncCollection[Document], subject_id: str, organisation_id: str) -> int:
        erased = 0
        async for document in collection.find({"organisation_id": organisation_id}):
            changed, count = anonymised(document, subject_id)
            wrote_motivation = any(path.startswith("contacts.") for path, _ in people_in(document, subject_id))
            if wrote_motivation and isinstance(changed.get("motivation"), dict):
                changed = {**changed, "motivation": {**changed["motivation"], "text": ERASED_NAME}}
            fields = {key: value for key, value in changed.items() if document.get(key) != value}
            if fields:
                await collection.update_one({"_id": document["_id"]}, {"$set": fields})
            erased += count
        return erased


def _without_bookkeeping(document: Document) -> Document:
    return {key: value for key, value in document.items() if not key.startswith("applied") and key != "version"}
