"""Programmes' homework in MongoDB: one versioned document per programme, with its outbox."""

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from koos_contracts import Envelope
from koos_evaluation.domain.homework import Attachment, TeamHomework, Version
from koos_evaluation.domain.programme_homework import Assignment, ProgrammeHomework
from koos_evaluation.service_layer.ports import HomeworkStore
from koos_kit.retention import Windows
from koos_kit.versioned import CHANGED_AT, StaleDocument, State, VersionedDocuments


class MongoHomework(HomeworkStore):
    def __init__(self, documents: VersionedDocuments) -> None:
        self._documents = documents

    async def ensure_indexes(self) -> None:
        await self._documents.ensure_indexes("organisation_id", "assignments.work.versions.person_id")

    async def get(self, programme_id: str) -> ProgrammeHomework | None:
        found = await self._documents.get(programme_id)
        if found is None:
            return None
        state, version = found
        return ProgrammeHomework(
            programme_id=programme_id, organisation_id=state["organisation_id"],
            teams={team: tuple(members) for team, members in state["teams"].items()},
            assignments={a["key"]: _assignment(a) for a in state["assignments"]},
            commands=list(state["commands"]), version=version)

    async def handed_in_by(self, organisation_id: str, person_id: str) -> list[ProgrammeHomework]:
        found = await self._documents.find({"organisation_id": organisation_id,
                                            "assignments.work.versions.person_id": person_id})
        return [programme for d in found if (programme := await self.get(d["_id"])) is not None]

    async def forget_past(self, windows: Windows) -> int:
        """Retention: erase the work of programmes whose homework last changed before its period; how many versions
        (a programme that changed meanwhile waits for the next run)."""
        erased = 0
        for past in windows.filters(CHANGED_AT):
            for document in await self._documents.find(past):
                programme = await self.get(document["_id"])
                if programme is not None and (count := programme.forget_everything()):
                    try:
                        await self._documents.save(programme.programme_id, _state(programme), programme.version, [])
                    except StaleDocument:
                        continue
                    erased += count
        return erased

    async def save(self, programme: ProgrammeHomework, envelopes: Sequence[Envelope]) -> None:
        programme.version = await self._documents.save(programme.programme_id, _state(programme), programme.version,
                                                       envelopes)
        programme.events.clear()


def _state(programme: ProgrammeHomework) -> State:
    return {"organisation_id": programme.organisation_id,
            "teams": {team: list(members) for team, members in programme.teams.items()},
            "assignments": [_assignment_state(a) for a in programme.assignments.values()],
            "commands": programme.commands}


def _assignment_state(assignment: Assignment) -> dict[str, Any]:
    return {"key": assignment.key, "title": assignment.title, "description": assignment.description,
            "due_at": assignment.due_at, "workshop_key": assignment.workshop_key,
            "work": [{"team_id": w.team_id, "due_at": w.due_at, "versions": [_version_state(v) for v in w.versions]}
                     for w in assignment.work.values()]}


def _version_state(version: Version) -> dict[str, Any]:
    return {"number": version.number, "text": version.text, "submitted_at": version.submitted_at,
            "late": version.late, "review": version.review, "comments": version.comments,
            "person_id": version.person_id,
            "attachments": [{"name": a.name, "size_bytes": a.size_bytes, "link": a.link} for a in version.attachments]}


def _assignment(state: Mapping[str, Any]) -> Assignment:
    work = {w["team_id"]: TeamHomework(state["key"], w["team_id"], _aware(w["due_at"]),
                                       [_version(v) for v in w["versions"]]) for w in state["work"]}
    return Assignment(state["key"], dict(state["title"]), dict(state["description"]), _aware(state["due_at"]),
                      state.get("workshop_key"), work)


def _version(state: Mapping[str, Any]) -> Version:
    attachments = tuple(Attachment(a["name"], a["size_bytes"], a.get("link")) for a in state["attachments"])
    return Version(state["number"], state["text"], attachments, _aware(state["submitted_at"]), state["late"],
                   state["review"], state["comments"], state.get("person_id", ""))


def _aware(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("the homework store returned a naive datetime; connect with tz_aware=True")
    return moment
