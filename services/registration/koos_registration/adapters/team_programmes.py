"""Team programmes in MongoDB: one document per programme with its teams and its outbox, guarded by a version."""

from collections.abc import Sequence
from typing import Any

from pymongo.asynchronous.collection import AsyncCollection

from koos_contracts import Envelope
from koos_contracts.teams import CompositionRule, Member, RuleBreach
from koos_kit.clock import Clock
from koos_kit.outbox import OutboxRelay
from koos_kit.versioned import StaleDocument, VersionedDocuments
from koos_registration.domain.team_programme import Team, TeamProgramme
from koos_registration.service_layer.ports import StaleProgramme, TeamProgrammes

Document = dict[str, Any]


class MongoTeamProgrammes(TeamProgrammes):
    """Stores programmes; the events a change raised are stored in the same document update."""

    def __init__(self, collection: AsyncCollection[Document], relay: OutboxRelay, clock: Clock) -> None:
        self._programmes = VersionedDocuments(collection, relay, clock)

    async def ensure_indexes(self) -> None:
        """The outbox index, and the members' person ids (a person's export and erasure find their teams)."""
        await self._programmes.ensure_indexes("teams.members.participant.person_id")

    async def get(self, programme_id: str) -> TeamProgramme | None:
        found = await self._programmes.get(programme_id)
        return _programme(programme_id, *found) if found else None

    async def holding(self, person_id: str, organisation_id: str) -> list[TeamProgramme]:
        """The organisation's programmes with the person in one of their teams (for their export or erasure)."""
        found = await self._programmes.find({"organisation_id": organisation_id,
                                             "teams.members.participant.person_id": person_id})
        return [_programme(d["_id"], d, d["_version"]) for d in found]

    async def save(self, programme: TeamProgramme, envelopes: Sequence[Envelope]) -> None:
        try:
            programme.version = await self._programmes.save(programme.programme_id, _state(programme),
                                                            programme.version, envelopes)
        except StaleDocument as error:
            raise StaleProgramme(f"programme {programme.programme_id} changed meanwhile") from error


def _state(programme: TeamProgramme) -> Document:
    return {"organisation_id": programme.organisation_id, "title": programme.title, "timezone": programme.timezone,
            "places": programme.places, "rule": programme.rule.model_dump(mode="json"),
            "teams": [_team_document(t) for t in programme.teams.values()], "applied": programme.applied}


def _team_document(team: Team) -> Document:
    return {"team_id": team.team_id, "name": team.name, "ngo": team.ngo, "idea": team.idea,
            "lead_person_id": team.lead_person_id, "status": team.status,
            "members": [m.model_dump(mode="json") for m in team.members],
            "warnings": [w.model_dump(mode="json") for w in team.warnings]}


def _programme(programme_id: str, document: Document, version: int) -> TeamProgramme:
    teams = [_team(t) for t in document.get("teams", [])]
    return TeamProgramme(programme_id=programme_id, organisation_id=document["organisation_id"],
                         title=document["title"], timezone=document["timezone"], places=document["places"],
                         rule=CompositionRule.model_validate(document["rule"]),
                         teams={t.team_id: t for t in teams}, version=version,
                         applied=list(document.get("applied", [])))


def _team(document: Document) -> Team:
    return Team(team_id=document["team_id"], name=document["name"], ngo=document["ngo"], idea=document["idea"],
                lead_person_id=document["lead_person_id"], status=document["status"],
                members=tuple(Member.model_validate(m) for m in document["members"]),
                warnings=tuple(RuleBreach.model_validate(w) for w in document["warnings"]))
