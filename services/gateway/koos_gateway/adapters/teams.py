"""Team programmes read model in MongoDB: one document per programme with its teams, each event applied once; a
write records when it was made (`_changed_at`, which retention counts from)."""

from datetime import UTC, datetime
from typing import Any

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError

from koos_contracts.teams import CompositionRule, Member, RuleBreach
from koos_gateway.domain.teams import TeamProgrammeView, TeamView
from koos_gateway.service_layer.ports import TeamReadModel
from koos_kit.idempotency import not_yet_applied, remember

Document = dict[str, Any]


class MongoTeams(TeamReadModel):
    """Programmes by id; a write carries the event id, so an event consumed again changes nothing."""

    def __init__(self, collection: AsyncCollection[Document]) -> None:
        self._programmes = collection

    async def save(self, programme: TeamProgrammeView, event_id: str) -> None:
        fields = {"organisation_id": programme.organisation_id, "title": programme.title,
                  "timezone": programme.timezone, "places": programme.places,
                  "rule": programme.rule.model_dump(mode="json"), "teams": [_team(t) for t in programme.teams],
                  "_changed_at": datetime.now(UTC)}
        try:
            await self._programmes.update_one(not_yet_applied({"_id": programme.programme_id}, event_id),
                                              remember({"$set": fields}, event_id), upsert=True)
        except DuplicateKeyError:
            return

    async def get(self, programme_id: str) -> TeamProgrammeView | None:
        document = await self._programmes.find_one({"_id": programme_id})
        if document is None:
            return None
        return TeamProgrammeView(
            programme_id=document["_id"], organisation_id=document["organisation_id"], title=document["title"],
            timezone=document["timezone"], places=document["places"],
            rule=CompositionRule.model_validate(document["rule"]),
            teams=tuple(_view(t) for t in document.get("teams", [])))


def _team(team: TeamView) -> Document:
    return {"team_id": team.team_id, "name": team.name, "ngo": team.ngo, "idea": team.idea,
            "lead_person_id": team.lead_person_id, "status": team.status,
            "members": [m.model_dump(mode="json") for m in team.members],
            "warnings": [w.model_dump(mode="json") for w in team.warnings]}


def _view(document: Document) -> TeamView:
    return TeamView(team_id=document["team_id"], name=document["name"], ngo=document["ngo"], idea=document["idea"],
                    lead_person_id=document["lead_person_id"], status=document["status"],
                    members=tuple(Member.model_validate(m) for m in document["members"]),
                    warnings=tuple(RuleBreach.model_validate(w) for w in document["warnings"]))
