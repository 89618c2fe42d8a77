"""An organisation never sees another's editions, people, results or commands: their ids look unknown (404)."""

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import pytest

from koos_cli import programme_2016 as p2016
from koos_cli.programme_2016 import draft_2016, workshops_2016
from koos_contracts.evaluation import SurveyOpened, SurveyResultsUpdated
from koos_contracts.identity import person_id_for
from koos_contracts.programmes import ProgrammeDrafted
from koos_contracts.teams import TeamApplied, TeamMember, TeamProgrammeDefined
from koos_registration.service_layer.teams import member_of
from tests.builders import person
from tests.fakes import envelope_for
from tests.unit.gateway.harness import BERGEN, OSLO, Gateway, staff

RESCHEDULE = {"date": "2030-01-08", "start": "10:00", "end": "13:00"}
FEEDBACK = {"ratings": {"overall": 5}}
RUBRIC = {"artefacts": [{"key": "description", "title": {"et": "Kirjeldus"}, "weight": 1,
                         "criteria": [{"key": "clarity", "title": {"et": "Selgus"}, "weight": 1, "lowest": 1,
                                       "highest": 5}]}]}
MEMBER = {"person_id": "juror-1", "name": "Kadri Kõiv", "email": "kadri@muuseum.example", "organisations": ["erm"],
          "limit": 5}
SCORES = {"scores": [{"criterion": "clarity", "value": 4}]}


@dataclass(frozen=True)
class Endpoint:
    """A request with an id of Bergen's, made by someone of Oslo."""

    method: str
    path: str
    caller: str
    body: dict[str, Any] | None = None


ENDPOINTS = [
    Endpoint("GET", "/v1/editions/{edition}", "organiser"),
    Endpoint("POST", "/v1/editions/{edition}/sessions/{session}/reschedule", "organiser", RESCHEDULE),
    Endpoint("POST", "/v1/editions/{edition}/sessions/{session}/cancel", "organiser", {}),
    Endpoint("POST", "/v1/editions/{edition}/registrations", "organiser", person(7).model_dump(mode="json")),
    Endpoint("POST", "/v1/editions/{edition}/registrations", "partner", person(7).model_dump(mode="json")),
    Endpoint("GET", "/v1/editions/{edition}/registrations", "trainer"),
    Endpoint("GET", "/v1/registrations/{registration}", "organiser"),
    Endpoint("GET", "/v1/registrations/{registration}", "partner"),
    Endpoint("GET", "/v1/registrations/{registration}", "participant"),
    Endpoint("DELETE", "/v1/registrations/{registration}", "organiser"),
    Endpoint("DELETE", "/v1/registrations/{registration}", "partner"),
    Endpoint("DELETE", "/v1/registrations/{registration}", "participant"),
    Endpoint("GET", "/v1/audit/people/{person}", "organiser"),
    Endpoint("POST", "/v1/registrations/{registration}/consent/withdrawals", "organiser",
             {"purposes": ["next_editions"]}),
    Endpoint("POST", "/v1/registrations/{registration}/consent/withdrawals", "participant",
             {"purposes": ["next_editions"]}),
    Endpoint("POST", "/v1/editions/{edition}/feedback", "participant", FEEDBACK),
    Endpoint("GET", "/v1/editions/{edition}/feedback", "organiser"),
    Endpoint("GET", "/v1/editions/{edition}/feedback/form", "participant"),
    Endpoint("GET", "/v1/commands/{command}", "organiser"),
    Endpoint("POST", "/v1/editions/{edition}/sessions/{session}/held", "organiser", {}),
    Endpoint("GET", "/v1/editions/{edition}/progress", "trainer"),
    Endpoint("GET", "/v1/editions/{edition}/roster", "organiser"),
    Endpoint("GET", "/v1/registrations/{registration}/mails", "trainer"),
    Endpoint("GET", "/v1/programmes/{programme}", "organiser"),
    Endpoint("POST", "/v1/programmes/{programme}/stage", "organiser", {"to": "published"}),
    Endpoint("PUT", "/v1/programmes/{programme}/workshops", "organiser", {"workshops": workshops_2016()}),
    Endpoint("POST", "/v1/programmes/{programme}/workshops/{session}/day", "organiser", {"day": "2016-09-14"}),
    Endpoint("GET", "/v1/editions/{edition}/applications", "organiser"),
    Endpoint("POST", "/v1/editions/{edition}/applications/{command}/decision", "organiser", {"admit": True}),
    Endpoint("PUT", "/v1/editions/{edition}/jury", "organiser", RUBRIC),
    Endpoint("GET", "/v1/editions/{edition}/jury", "juror"),
    Endpoint("POST", "/v1/editions/{edition}/jury/jurors", "organiser", MEMBER),
    Endpoint("POST", "/v1/editions/{edition}/jury/mentors", "organiser", MEMBER),
    Endpoint("POST", "/v1/editions/{edition}/jury/{step}", "organiser"),
    Endpoint("PUT", "/v1/editions/{edition}/jury/scores/{command}", "juror", SCORES),
    Endpoint("POST", "/v1/editions/{edition}/mentoring/{command}/milestones", "mentor",
             {"milestone": "pilot_planned", "report": "Plaan valmis"}),
    Endpoint("GET", "/v1/programmes/{programme}/teams", "organiser"),
    Endpoint("POST", "/v1/programmes/{programme}/teams/{team}/decision", "organiser", {"decision": "accept"}),
    Endpoint("POST", "/v1/programmes/{programme}/teams/{team}/replace-member", "organiser",
             {"leaving_email": "leader1@example.org",
              "member": p2016.member("Kadri Kask", "kadri@example.org", "MTÜ", "ngo_leader")}),
    Endpoint("PUT", "/v1/programmes/{programme}/homework/{homework}", "organiser",
             {"title": {"en": "Expert interviews"}, "due_at": "2016-03-22T22:00:00+00:00"}),
    Endpoint("POST", "/v1/programmes/{programme}/homework/{homework}/teams/{team}/reviews", "trainer",
             {"version": 1, "accepted": True}),
    Endpoint("GET", "/v1/programmes/{programme}/homework", "organiser"),
    Endpoint("GET", "/v1/privacy/requests/{request}", "organiser"),
    Endpoint("GET", "/v1/privacy/requests/{request}", "participant"),
    Endpoint("GET", "/v1/privacy/requests/{request}/summary", "organiser"),
]


@dataclass(frozen=True)
class Bergen:
    """Ids of things that belong to Bergen."""

    ids: dict[str, str]


@pytest.fixture
async def bergen(gateway: Gateway) -> Bergen:
    plan = await gateway.publish_edition(BERGEN)
    registration = await gateway.registration_event(plan, person(1), org=BERGEN)
    results = SurveyResultsUpdated(edition_id=plan.edition_id, invited=1, responses=0, response_rate=0.0,
                                   questions=(), quotes=())
    await gateway.deliver(envelope_for(results, organisation_id=BERGEN))
    opened = SurveyOpened(edition_id=plan.edition_id, questions=plan.feedback_questions,
                          opened_at=datetime.now(UTC), closes_at=datetime.now(UTC) + timedelta(days=1))
    await gateway.deliver(envelope_for(opened, organisation_id=BERGEN))
    command = await gateway.client.delete(f"/v1/registrations/{registration}", headers=staff(BERGEN))
    programme, team = await _team_programme(gateway)
    export = await gateway.client.post("/v1/me/exports", headers=await gateway.participant(person(1), org=BERGEN))
    gateway.bus.sent.clear()
    return Bergen({"edition": str(plan.edition_id), "session": "s1", "registration": registration,
                   "command": command.json()["command_id"], "programme": programme, "team": team,
                   "step": "close", "request": export.json()["request_id"], "homework": "expert-interviews",
                   "person": person_id_for(BERGEN, person(1).email)})


async def _team_programme(gateway: Gateway) -> tuple[str, str]:
    programme_id, team_id = uuid4(), uuid4()
    defined = TeamProgrammeDefined(programme_id=programme_id, title={"en": "Co-creation"}, timezone="Europe/Oslo",
                                   places=6, rule=p2016.RULE)
    members = tuple(member_of(TeamMember.model_validate(m), BERGEN) for m in p2016.full_team(1))
    applied = TeamApplied(programme_id=programme_id, team_id=team_id, name="Bergen team", ngo="NGO", idea="An idea",
                          lead_person_id=members[0].participant.person_id, members=members)
    drafted = ProgrammeDrafted.model_validate({**draft_2016(programme_id), "phases": [], "outside_dates": []})
    await gateway.deliver(*(envelope_for(e, organisation_id=BERGEN) for e in (defined, applied, drafted)))
    return str(programme_id), str(team_id)


async def credentials(gateway: Gateway, caller: str) -> dict[str, str]:
    if caller == "participant":
        return await gateway.participant(person(1), org=OSLO)
    if caller == "partner":
        issued = await gateway.client.post("/v1/admin/api-keys", json={"organisation_id": OSLO, "label": "HR"},
                                           headers=staff(role="operator"))
        return {"X-API-Key": issued.json()["api_key"]}
    return staff(OSLO, role=caller)


async def call(gateway: Gateway, endpoint: Endpoint, ids: dict[str, str]) -> Any:
    headers = await credentials(gateway, endpoint.caller)
    return await gateway.client.request(endpoint.method, endpoint.path.format(**ids), json=endpoint.body,
                                        headers=headers)


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: f"{e.method} {e.path} as {e.caller}")
async def test_another_organisations_id_answers_exactly_like_an_unknown_one(gateway: Gateway, bergen: Bergen,
                                                                            endpoint: Endpoint) -> None:
    theirs = await call(gateway, endpoint, bergen.ids)
    unknown = await call(gateway, endpoint, {**{name: str(uuid4()) for name in bergen.ids}, "session": "s1",
                                             "step": "close", "homework": "expert-interviews"})

    assert theirs.status_code == 404
    assert theirs.json() == unknown.json()
    assert gateway.bus.sent == []


async def test_bergens_own_organiser_does_see_it(gateway: Gateway, bergen: Bergen) -> None:
    answer = await gateway.client.get(f"/v1/editions/{bergen.ids['edition']}", headers=staff(BERGEN))

    assert answer.status_code == 200


def test_every_route_that_takes_an_id_is_checked_here(gateway: Gateway) -> None:
    not_tenant_scoped = ("/v1/public/", "/calendar.ics", "/v1/admin/", "/v1/contracts/", "/team-rule")
    routes = {(method.upper(), _shape(path)) for path, operations in gateway.app.openapi()["paths"].items()
              if "{" in path and not any(part in path for part in not_tenant_scoped) for method in operations}

    assert routes == {(e.method, _shape(e.path)) for e in ENDPOINTS}


def _shape(path: str) -> str:
    return re.sub(r"{[^}]+}", "{}", path)


async def test_another_organisations_programme_cannot_be_given_a_rule(gateway: Gateway, bergen: Bergen) -> None:
    body = {"title": {"en": "Taken over"}, "places": 6, "rule": p2016.RULE}
    answer = await gateway.client.put(f"/v1/programmes/{bergen.ids['programme']}/team-rule", json=body,
                                      headers=staff(OSLO))

    assert answer.status_code == 404
    assert gateway.bus.sent == []
