"""What notifications holds about a person, for their export and their erasure: their contact copies and mails.

Erasing replaces the name and address of every copy and mail by the erased placeholders (an address in the
reserved `.invalid` domain, which nothing is ever sent to), cancels the mails not sent yet and drops what
each mail was to say; the counts of sent mails stay. Mails to other people may name them too (a team's mail
lists its members, and its lead, by name): in the mails of the editions and programmes the person was in, each
mention of a name they were known by reads as erased.
"""

from typing import Any

from pymongo.asynchronous.collection import AsyncCollection

from koos_kit.privacy import ERASED_NAME, erased_address
from koos_kit.privacy.requests import PersonalDataHolder

Document = dict[str, Any]
MAIL_FIELDS = ("kind", "edition_id", "registration_id", "status", "due_at", "attempts", "recipient", "details")


class NotificationsHolder(PersonalDataHolder):
    """A person's contact copies (one per registration) and the mails made for them."""

    def __init__(self, participants: AsyncCollection[Document], notifications: AsyncCollection[Document]) -> None:
        self._participants = participants
        self._notifications = notifications

    async def ensure_indexes(self) -> None:
        for collection in (self._participants, self._notifications):
            await collection.create_index("recipient.person_id")

    async def export(self, subject_id: str, organisation_id: str) -> dict[str, Any]:
        copies = self._participants.find(_of(subject_id, organisation_id)).sort("_id", 1)
        mails = self._notifications.find(_of(subject_id, organisation_id)).sort("_id", 1)
        return {"contacts": [{"registration_id": d["_id"], "edition_id": d["edition_id"], "status": d["status"],
                              "recipient": d["recipient"]} async for d in copies],
                "mails": [{"notification_id": d["_id"], **{k: d.get(k) for k in MAIL_FIELDS}} async for d in mails]}

    async def erase(self, subject_id: str, organisation_id: str) -> dict[str, int]:
        anonymised = {"recipient.name": ERASED_NAME, "recipient.email": erased_address(subject_id)}
        of = _of(subject_id, organisation_id)
        mentions = await self._erase_mentions(subject_id, organisation_id)
        copies = await self._participants.update_many(of, {"$set": anonymised})
        await self._notifications.update_many({**of, "status": "pending"}, {"$set": {"status": "cancelled"}})
        mails = await self._notifications.update_many(of, {"$set": {**anonymised, "details": {}}})
        return {"contacts": copies.modified_count, "mails": mails.modified_count, "mentions": mentions}

    async def _erase_mentions(self, subject_id: str, organisation_id: str) -> int:
        of = _of(subject_id, organisation_id)
        names, editions = set(), set()
        for collection in (self._participants, self._notifications):
            async for document in collection.find(of, {"recipient.name": 1, "edition_id": 1}):
                names.add(document["recipient"]["name"])
                editions.add(document["edition_id"])
        names.discard(ERASED_NAME)
        if not names:
            return 0
        others = {"organisation_id": organisation_id, "edition_id": {"$in": sorted(editions)},
                  "recipient.person_id": {"$ne": subject_id}}
        changed = 0
        async for mail in self._notifications.find(others, {"details": 1}):
            details, count = _without_names(mail.get("details") or {}, names)
            if count:
                await self._notifications.update_one({"_id": mail["_id"]}, {"$set": {"details": details}})
                changed += count
        return changed


def _without_names(value: Any, names: set[str]) -> tuple[Any, int]:
    """The value with each string that is one of the names replaced by the erased name; how many were."""
    if isinstance(value, str):
        return (ERASED_NAME, 1) if value in names else (value, 0)
    if isinstance(value, dict):
        pairs = {key: _without_names(item, names) for key, item in value.items()}
        return {key: item for key, (item, _) in pairs.items()}, sum(count for _, count in pairs.values())
    if isinstance(value, list):
        items = [_without_names(item, names) for item in value]
        return [item for item, _ in items], sum(count for _, count in items)
    return value, 0


def _of(subject_id: str, organisation_id: str) -> Document:
    return {"organisation_id": organisation_id, "recipient.person_id": subject_id}
