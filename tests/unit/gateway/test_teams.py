"""Teams over HTTP: the organiser's rule, a team lead's application (refused with every broken rule, or accepted
with warnings), the organiser's decisions up to the places, replacements; registration's own handlers answer."""

from uuid import uuid4

import pytest

from koos_cli import programme_2016 as p2016
from koos_contracts import Envelope, parse
from koos_contracts.teams import ApplyWithTeam
from koos_kit.events import EventFactory
from koos_registration.service_layer import teams
from koos_registration.service_layer.teams import TeamPorts
from tests.fakes import RecordingReplies
from tests.unit.gateway.harness import OSLO, Gateway, staff
from tests.unit.registration.fakes import FakeProgrammes

HANDLERS = {"DefineTeamProgramme": teams.define_programme, "ApplyWithTeam": teams.apply_with_team,
            "DecideOnTeam": teams.decide_on_team, "ReplaceTeamMember": teams.replace_member}


@pytest.fixture
def registration(gateway: Gateway) -> TeamPorts:
    """Registration's team handlers answer the gateway's commands, and their events come back to it."""
    ports = TeamPorts(programmes=FakeProgrammes(), replies=RecordingReplies(), factory=EventFactory("/registration"))

    async def respond(command: Envelope) -> None:
        message = parse(command)
        await HANDLERS[type(message).__name__](message, command, ports)  # type: ignore[operator]
        stored = [*ports.programmes.events, *ports.replies.envelopes]  # type: ignore[attr-defined]
        await gateway.deliver(*[e for e in stored if e.causationid == command.id])

    gateway.bus.responder = respond
    return ports


async def define(gateway: Gateway, places: int = 6) -> str:
    programme_id = str(uuid4())
    answer = await gateway.client.put(f"/v1/programmes/{programme_id}/team-rule", headers=staff(OSLO),
                                      json={"title": {"en": "Co-creation 2016"}, "places": places, "rule": p2016.RULE})
    assert answer.status_code == 200, answer.json()
    return programme_id


async def apply(gateway: Gateway, programme_id: str, number: int, members: list[dict[str, object]] | None = None):
    body = p2016.application(number, members if members is not None else p2016.full_team(number))
    return await gateway.client.post(f"/v1/public/programmes/{programme_id}/teams", json=body)


async def test_a_team_breaking_rules_is_refused_with_every_broken_rule(gateway: Gateway,
                                                                     registration: TeamPorts) -> None:
    programme_id = await define(gateway)
    members = [m for m in p2016.full_team(1) if m["role"] not in ("ngo_leader", "development_lead",
                                                                   "social_services_official")]
    answer = await apply(gateway, programme_id, 1, members)

    assert answer.status_code == 422
    error = answer.json()["error"]
    assert error["code"] == "rule_broken"
    assert [d["reason"] for d in error["details"]] == [
        "a person from local government or the unemployment insurance fund: exactly 1 wanted, the team has 0",
        "NGO staff: exactly 2 wanted, the team has 1",
        "the NGO's leader: at least 1 wanted, the team has 0"]


async def test_a_team_without_a_student_is_in_with_a_warning_the_organiser_sees(gateway: Gateway,
                                                                                registration: TeamPorts) -> None:
    programme_id = await define(gateway)
    answer = await apply(gateway, programme_id, 2, p2016.full_team(2, student=False))

    assert answer.status_code == 201
    assert [w["rule_key"] for w in answer.json()["warnings"]] == ["student"]
    listed = (await gateway.client.get(f"/v1/programmes/{programme_id}/teams", headers=staff(OSLO))).json()
    assert [(t["status"], [w["rule_key"] for w in t["warnings"]]) for t in listed["teams"]] == [("applied",
                                                                                                ["student"])]
    assert [m["lead"] for m in listed["teams"][0]["members"]] == [True, False, False, False]


async def test_the_organiser_fills_the_places_and_the_next_team_cannot_be_accepted(gateway: Gateway,
                                                                                   registration: TeamPorts) -> None:
    programme_id = await define(gateway, places=1)
    first = (await apply(gateway, programme_id, 1)).json()["team_id"]
    second = (await apply(gateway, programme_id, 2)).json()["team_id"]
    decide = f"/v1/programmes/{programme_id}/teams/{{}}/decision"

    accepted = await gateway.client.post(decide.format(first), json={"decision": "accept"}, headers=staff(OSLO))
    refused = await gateway.client.post(decide.format(second), json={"decision": "accept"}, headers=staff(OSLO))
    waiting = await gateway.client.post(decide.format(second), json={"decision": "wait"}, headers=staff(OSLO))

    assert accepted.json()["status"] == "accepted"
    assert refused.status_code == 409 and refused.json()["error"]["reason"].startswith("all 1 places are taken")
    assert waiting.json()["status"] == "waiting"
    listed = (await gateway.client.get(f"/v1/programmes/{programme_id}/teams", headers=staff(OSLO))).json()
    assert listed["places_left"] == 0


async def test_a_person_already_in_a_team_cannot_apply_with_another(gateway: Gateway, registration: TeamPorts) -> None:
    programme_id = await define(gateway)
    await apply(gateway, programme_id, 1)
    members = p2016.full_team(2)
    members[2] = p2016.full_team(1)[2]
    answer = await apply(gateway, programme_id, 2, members)

    assert answer.status_code == 409
    assert answer.json()["error"]["code"] == "already_in_a_team"


async def test_a_replacement_that_breaks_the_rule_is_refused(gateway: Gateway, registration: TeamPorts) -> None:
    programme_id = await define(gateway)
    team_id = (await apply(gateway, programme_id, 1)).json()["team_id"]
    path = f"/v1/programmes/{programme_id}/teams/{team_id}/replace-member"
    body = {"leaving_email": "leader1@example.org",
            "member": p2016.member("Kadri Kask", "kadri@example.org", "MTÜ", "ngo_staff")}

    refused = await gateway.client.post(path, json=body, headers=staff(OSLO))
    body["member"] = p2016.member("Kadri Kask", "kadri@example.org", "MTÜ", "ngo_leader")
    replaced = await gateway.client.post(path, json=body, headers=staff(OSLO))

    assert refused.status_code == 422 and "the NGO's leader" in refused.json()["error"]["reason"]
    assert replaced.status_code == 200
    assert [m["name"] for m in replaced.json()["members"] if m["lead"]] == ["Kadri Kask"]


async def test_a_trainer_may_not_decide_on_teams(gateway: Gateway, registration: TeamPorts) -> None:
    programme_id = await define(gateway)
    team_id = (await apply(gateway, programme_id, 1)).json()["team_id"]
    answer = await gateway.client.post(f"/v1/programmes/{programme_id}/teams/{team_id}/decision",
                                       json={"decision": "accept"}, headers=staff(OSLO, role="trainer"))
    assert answer.status_code == 403


async def test_every_member_of_a_team_enters_koos_under_their_subject_id(gateway: Gateway,
                                                                         registration: TeamPorts) -> None:
    """Members get their subject (and data key) from the person directory like a sign-up, and registration keeps
    them under it: a member erased before is a new person when named again."""
    returning = p2016.full_team(1)[1]["person"]["email"]
    erased = await gateway.ports.people.subject_for(OSLO, returning)
    await gateway.ports.people.forget(erased)
    programme_id = await define(gateway)

    answer = await apply(gateway, programme_id, 1)

    assert answer.status_code == 201
    [command] = gateway.sent(ApplyWithTeam)
    named = {m["person"]["email"]: m["person"]["subject_id"] for m in command.data["members"]}
    people = gateway.ports.people
    assert named == {email: await people.subject_for(OSLO, email) for email in named}
    assert named[returning] != erased
    [programme] = registration.programmes.stored.values()  # type: ignore[attr-defined]
    [team] = programme.teams.values()
    kept = {m.participant.email: m.participant.person_id for m in team.members}
    assert kept == named
