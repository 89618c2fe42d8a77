"""What registration holds about a person, for their export and their erasure: their registrations, their
places in teams and the institutions' applications naming them (as a contact or as staff).

Erasing anonymises: a registration keeps its status and place (so the seats and the line count the same),
its participant's name and address become the erased placeholders. The last batch an offer carries (kept
for a crash) is anonymised the same way. A team member keeps their role and organisation (so the team still
meets its composition rule) and loses their name and address the same way; so does a contact or staff member
of an application, which keeps its institution, status and the number of its people. The motivation a contact
wrote goes with them (free text: nothing says which contact wrote it, so erasing any contact erases it).
"""

from typing import Any

from pymongo.asynchronous.collection import AsyncCollection

from koos_kit.errors import RetryLater
from koos_kit.privacy import ERASED_NAME, erased_address
from koos_kit.privacy.people_in import anonymised, people_in
from koos_kit.privacy.requests import PersonalDataHolder
from koos_registration.adapters.team_programmes import MongoTeamProgrammes

Document = dict[str, Any]
EXPORTED = ("edition_id", "status", "queue_number")


class RegistrationHolder(PersonalDataHolder):
    """A person's registrations, and the copies of them in their offers' last batch."""

    def __init__(self, offers: AsyncCollection[Document], registrations: AsyncCollection[Document],
                 programmes: MongoTeamProgrammes, applications: AsyncCollection[Document]) -> None:
        self._offers = offers
        self._registrations = registrations
        self._programmes = programmes
        self._applications = applications

    async def ensure_indexes(self) -> None:
        await self._registrations.create_index("participant.person_id")
        await self._applications.create_index("applied.contacts.person.subject_id")
        await self._applications.create_index("applied.staff.subject_id")

    async def export(self, subject_id: str, organisation_id: str) -> dict[str, Any]:
        cursor = self._registrations.find(_of(subject_id, organisation_id)).sort("_id", 1)
        registrations = [{"registration_id": d["_id"], **{k: d.get(k) for k in EXPORTED},
                          "participant": d["participant"]} async for d in cursor]
        teams = [{"programme_id": programme.programme_id, "team_id": team.team_id, "team": team.name,
                  "status": team.status, "lead": team.lead_person_id == subject_id, "role": member.role,
                  "organisation": member.organisation, "participant": member.participant.model_dump(mode="json")}
                 for programme in await self._programmes.holding(subject_id, organisation_id)
                 for team, member in programme.memberships(subject_id)]
        applications = [_application_part(d, subject_id) async for d in self._naming(subject_id, organisation_id)]
        return {"registrations": registrations, "teams": teams, "applications": applications}

    async def erase(self, subject_id: str, organisation_id: str) -> dict[str, int]:
        editions = await self._registrations.distinct("edition_id", _of(subject_id, organisation_id))
        anonymised = {"participant.name": ERASED_NAME, "participant.email": erased_address(subject_id)}
        result = await self._registrations.update_many(_of(subject_id, organisation_id), {"$set": anonymised})
        for edition_id in editions:
            await self._scrub_offer(edition_id, subject_id)
        members = 0
        for programme in await self._programmes.holding(subject_id, organisation_id):
            changed = programme.anonymise(subject_id, ERASED_NAME, erased_address(subject_id))
            if changed:
                await self._programmes.save(programme, [])
            members += changed
        return {"registrations": result.modified_count, "team_members": members,
                "application_people": await self._erase_from_applications(subject_id, organisation_id)}

    def _naming(self, subject_id: str, organisation_id: str) -> Any:
        return self._applications.find({"organisation_id": organisation_id,
                                        "$or": [{"applied.contacts.person.subject_id": subject_id},
                                                {"applied.staff.subject_id": subject_id}]}).sort("_id", 1)

    async def _erase_from_applications(self, subject_id: str, organisation_id: str) -> int:
        erased = 0
        async for document in self._naming(subject_id, organisation_id):
            applied, changed = anonymised(document["applied"], subject_id)
            if any(path.startswith("contacts.") for path, _ in people_in(document["applied"], subject_id)):
                applied = {**applied, "motivation": {"text": ERASED_NAME}}
            if applied == document["applied"]:
                continue
            result = await self._applications.update_one(
                {"_id": document["_id"], "_version": document["_version"]},
                {"$set": {"applied": applied, "_version": document["_version"] + 1}})
            if result.matched_count == 0:
                raise RetryLater(f"application {document['_id']} changed while it was being anonymised")
            erased += changed
        return erased

    async def _scrub_offer(self, edition_id: str, subject_id: str) -> None:
        offer = await self._offers.find_one({"_id": edition_id})
        if offer is None:
            return
        pending = offer.get("pending") or {}
        registrations = [_anonymised(r, subject_id) for r in pending.get("registrations", [])]
        events = [{**e, "data": _anonymised(e.get("data", {}), subject_id)} for e in offer.get("events", [])]
        update = {"pending": {**pending, "registrations": registrations} if pending else pending, "events": events}
        result = await self._offers.update_one({"_id": edition_id, "version": offer.get("version")}, {"$set": update})
        if result.matched_count == 0:
            raise RetryLater(f"offer {edition_id} changed while its last batch was being anonymised")


def _application_part(document: Document, subject_id: str) -> Document:
    applied = document["applied"]
    named = people_in(applied, subject_id)
    as_contact = [applied["contacts"][int(path.split(".")[1])]["role"] for path, _ in named
                  if path.startswith("contacts.")]
    part = {"application_id": document["_id"], "edition_id": document["edition_id"],
            "institution": applied["institution"]["name"], "status": document["status"],
            "contact_roles": as_contact, "staff": any(path.startswith("staff.") for path, _ in named),
            "person": named[0][1] if named else None}
    return part | ({"motivation": applied["motivation"]["text"]} if as_contact else {})


def _of(subject_id: str, organisation_id: str) -> Document:
    return {"organisation_id": organisation_id, "participant.person_id": subject_id}


def _anonymised(document: Document, subject_id: str) -> Document:
    participant = document.get("participant")
    if not isinstance(participant, dict) or participant.get("person_id") != subject_id:
        return document
    return {**document, "participant": {**participant, "name": ERASED_NAME, "email": erased_address(subject_id)}}
