"""Jury rounds in MongoDB: one versioned document per edition, with its outbox. A person named in a round (an
admitted institution's contact, a released result's) is found and anonymised where the round keeps them."""

from collections.abc import Mapping, Sequence
from typing import Any
from uuid import UUID

from koos_contracts import Envelope
from koos_contracts.applications import ApplicationAdmitted
from koos_contracts.jury import JuryDefined, SelectionProposed
from koos_contracts.values import Participant
from koos_evaluation.domain.jury_round import JuryRound, Member
from koos_evaluation.service_layer.ports import Rounds
from koos_kit.privacy.people_in import anonymised, people_in
from koos_kit.versioned import CHANGED_AT, State, VersionedDocuments


class MongoRounds(Rounds):
    def __init__(self, documents: VersionedDocuments) -> None:
        self._documents = documents

    async def ensure_indexes(self) -> None:
        await self._documents.ensure_indexes("organisation_id")

    async def get(self, edition_id: UUID) -> JuryRound | None:
        found = await self._documents.get(str(edition_id))
        if found is None:
            return None
        state, version = found
        return JuryRound(
            edition_id=edition_id, organisation_id=state["organisation_id"],
            definition=JuryDefined.model_validate(state["definition"]) if state["definition"] else None,
            jurors={k: _member(v) for k, v in state["jurors"].items()},
            mentors={k: _member(v) for k, v in state["mentors"].items()},
            applications={k: ApplicationAdmitted.model_validate(v) for k, v in state["applications"].items()},
            assignment=[(a, j) for a, j in state["assignment"]] if state["assignment"] is not None else None,
            sheets=state["sheets"], status=state["status"],
            proposal=SelectionProposed.model_validate(state["proposal"]) if state["proposal"] else None,
            milestones=state.get("milestones", {}), commands=list(state["commands"]), version=version)

    async def naming(self, organisation_id: str, subject_id: str) -> list[dict[str, Any]]:
        return [{"edition_id": d["_id"], "as": path, "person": person}
                for d in await self._documents.find({"organisation_id": organisation_id})
                for path, person in people_in(_stored_state(d), subject_id)]

    async def anonymise(self, organisation_id: str, subject_id: str) -> int:
        erased = 0
        for document in await self._documents.find({"organisation_id": organisation_id}):
            state, changed = anonymised(_stored_state(document), subject_id)
            if changed:  # a round changed meanwhile is stale: the request is answered again later
                await self._documents.save(document["_id"], state, document["_version"], [])
                erased += changed
        return erased

    async def save(self, round_: JuryRound, envelopes: Sequence[Envelope]) -> None:
        round_.version = await self._documents.save(str(round_.edition_id), _state(round_), round_.version,
                                                    envelopes)
        round_.events.clear()


def _state(round_: JuryRound) -> State:
    return {
        "organisation_id": round_.organisation_id,
        "definition": round_.definition.model_dump(mode="json") if round_.definition else None,
        "jurors": {k: _member_state(v) for k, v in round_.jurors.items()},
        "mentors": {k: _member_state(v) for k, v in round_.mentors.items()},
        "applications": {k: v.model_dump(mode="json") for k, v in round_.applications.items()},
        "assignment": [list(pair) for pair in round_.assignment] if round_.assignment is not None else None,
        "sheets": round_.sheets,
        "status": round_.status,
        "proposal": round_.proposal.model_dump(mode="json") if round_.proposal else None,
        "milestones": round_.milestones,
        "commands": round_.commands,
    }


def _stored_state(document: State) -> State:
    return {key: value for key, value in document.items() if key not in ("_id", "_version", CHANGED_AT)}


def _member_state(member: Member) -> dict[str, Any]:
    return {"person": member.person.model_dump(mode="json"), "organisations": list(member.organisations),
            "declared": list(member.declared), "limit": member.limit}


def _member(state: Mapping[str, Any]) -> Member:
    return Member(Participant.model_validate(state["person"]), tuple(state["organisations"]),
                  tuple(state["declared"]), state["limit"])
