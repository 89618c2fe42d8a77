"""What the gateway holds about a person, for their export and their erasure.

Its read model of registrations (with the contact data organisers see), its delivery log (pseudonymous), the
person directory and the person's data key. Erasing anonymises the registrations (the lists keep counting
them), removes the directory entry and the person's earlier exports, and erases the key: a tombstone on
`koos.privacy.keys.v1`, after which no sealed copy of their data in any topic can be read.
"""

from typing import Any

from pymongo.asynchronous.collection import AsyncCollection

from koos_contracts.values import ERASED_NAME, erased_address
from koos_gateway.service_layer.ports import PersonDirectory, PrivacyRequests
from koos_kit.privacy.requests import PersonalDataHolder

Document = dict[str, Any]


class GatewayHolder(PersonalDataHolder):
    """A person's registrations as the gateway shows them, their mail log, directory entry and key."""

    def __init__(self, registrations: AsyncCollection[Document], deliveries: AsyncCollection[Document],
                 people: PersonDirectory, requests: PrivacyRequests) -> None:
        self._registrations = registrations
        self._deliveries = deliveries
        self._people = people
        self._requests = requests

    async def export(self, subject_id: str, organisation_id: str) -> dict[str, Any]:
        of = {"organisation_id": organisation_id, "person_id": subject_id}
        registrations = self._registrations.find(of).sort("_id", 1)
        deliveries = self._deliveries.find({"person_id": subject_id}).sort("_id", 1)
        return {"registrations": [_without_bookkeeping(d) async for d in registrations],
                "mails": [_without_bookkeeping(d) async for d in deliveries]}

    async def erase(self, subject_id: str, organisation_id: str) -> dict[str, int]:
        of = {"organisation_id": organisation_id, "person_id": subject_id, "contact": {"$ne": None}}
        anonymised = {"contact.name": ERASED_NAME, "contact.email": erased_address(subject_id)}
        registrations = await self._registrations.update_many(of, {"$set": anonymised})
        exports = await self._requests.forget_exports_of(subject_id)
        await self._people.forget(subject_id)
        return {"registrations": registrations.modified_count, "exports": exports, "keys": 1}


def _without_bookkeeping(document: Document) -> Document:
    return {key: value for key, value in document.items() if not key.startswith("applied") and key != "version"}
