"""Homework over HTTP: the organiser sets it for the accepted teams, a trainer reviews the teams' versions, staff
read the grid; registration's team handlers and evaluation's homework handlers answer (with fakes)."""

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest

from koos_cli import programme_2016 as p2016
from koos_contracts import Envelope, parse
from koos_contracts import homework as messages
from koos_contracts.teams import TeamAccepted, TeamMemberReplaced
from koos_evaluation.service_layer import homework as evaluation
from koos_evaluation.service_layer.ports import Ports as EvaluationPorts
from koos_kit.events import EventFactory
from koos_registration.service_layer import teams
from koos_registration.service_layer.teams import TeamPorts
from tests.fakes import FixedClock, RecordingReplies, envelope_for
from tests.unit.evaluation.fakes import FakeAnswers, FakeHomework, FakeSurveys
from tests.unit.gateway.harness import OSLO, Gateway, staff
from tests.unit.registration.fakes import FakeProgrammes

DUE = datetime.now(UTC).replace(microsecond=0) + timedelta(days=7)
TEAM_HANDLERS = {"DefineTeamProgramme": teams.define_programme, "ApplyWithTeam": teams.apply_with_team,
                 "DecideOnTeam": teams.decide_on_team}


class Services:
    """Registration and evaluation behind the gateway: their handlers answer its commands and each other's
    events, and every event comes back to the gateway."""

    def __init__(self, gateway: Gateway) -> None:
        self.gateway = gateway
        self.registration = TeamPorts(programmes=FakeProgrammes(), replies=RecordingReplies(),
                                      factory=EventFactory("/registration"))
        self.evaluation = EvaluationPorts(FakeSurveys(), FakeAnswers(), RecordingReplies(), FixedClock(),
                                          EventFactory("/evaluation"), homework=FakeHomework())
        gateway.bus.responder = self.respond

    async def respond(self, command: Envelope) -> None:
        message = parse(command)
        if type(message).__name__ in TEAM_HANDLERS:
            await TEAM_HANDLERS[type(message).__name__](message, command, self.registration)  # type: ignore[operator]
            stored = [*self.registration.programmes.events, *self.registration.replies.envelopes]  # type: ignore[attr-defined]
        else:
            await evaluation.handle(message, command, self.evaluation)  # type: ignore[arg-type]
            stored = [*self.evaluation.homework.events, *self.evaluation.replies.envelopes]  # type: ignore[union-attr]
        caused = [e for e in stored if e.causationid == command.id]
        for event in caused:
            if isinstance(parsed := parse(event), TeamAccepted | TeamMemberReplaced):
                await evaluation.team_changed(parsed, event, self.evaluation)
        await self.gateway.deliver(*caused)

    async def hand_in(self, programme_id: str, team_id: str, person_id: str, text: str, at: datetime) -> Any:
        """A member hands in a version (as the team's own route will send it)."""
        command = messages.SubmitHomework(programme_id=UUID(programme_id), homework_key="expert-interviews",
                                          team_id=UUID(team_id), person_id=person_id, text=text)
        envelope = envelope_for(command, OSLO, time=at)
        await evaluation.handle(command, envelope, self.evaluation)
        await self.gateway.deliver(*[e for e in self.evaluation.homework.events  # type: ignore[union-attr]
                                     if e.causationid == envelope.id])


@pytest.fixture
def services(gateway: Gateway) -> Services:
    return Services(gateway)


async def programme_with_teams(gateway: Gateway, accepted: int) -> tuple[str, list[tuple[str, list[str]]]]:
    """A programme whose first `accepted` teams were accepted: (programme, [(team, member person ids)])."""
    programme_id = str(uuid4())
    defined = await gateway.client.put(f"/v1/programmes/{programme_id}/team-rule", headers=staff(OSLO),
                                       json={"title": {"en": "Co-creation 2016"}, "places": 6, "rule": p2016.RULE})
    assert defined.status_code == 200, defined.json()
    found = []
    for number in range(accepted):
        applied = await gateway.client.post(f"/v1/public/programmes/{programme_id}/teams",
                                            json=p2016.application(number, p2016.full_team(number)))
        team_id = applied.json()["team_id"]
        decided = await gateway.client.post(f"/v1/programmes/{programme_id}/teams/{team_id}/decision",
                                            json={"decision": "accept"}, headers=staff(OSLO))
        assert decided.json()["status"] == "accepted"
        found.append((team_id, [m["person_id"] for m in decided.json()["members"]]))
    return programme_id, found


HOMEWORK = {"title": {"et": "Ekspertintervjuud", "en": "Expert interviews"}, "due_at": DUE.isoformat(),
            "workshop_key": "workshop-2"}


async def test_the_organiser_sets_homework_and_the_grid_follows_each_teams_work(gateway: Gateway,
                                                                                services: Services) -> None:
    programme_id, found = await programme_with_teams(gateway, 2)
    (first, first_members), (second, _) = found
    path = f"/v1/programmes/{programme_id}/homework"

    set_ = await gateway.client.put(f"{path}/expert-interviews", json=HOMEWORK, headers=staff(OSLO))
    await services.hand_in(programme_id, first, first_members[1], "Notes of four interviews", DUE - timedelta(days=1))
    asked = await gateway.client.post(f"{path}/expert-interviews/teams/{first}/reviews", headers=staff(OSLO, "trainer"),
                                      json={"version": 1, "accepted": False, "comments": "Add the social workers"})
    grid = (await gateway.client.get(path, headers=staff(OSLO, "trainer"))).json()

    assert set_.status_code == 200, set_.json()
    assert set_.json()["grid"] == {first: {"expert-interviews": "not_started"},
                                   second: {"expert-interviews": "not_started"}}
    assert asked.status_code == 200, asked.json()
    assert grid["grid"] == {first: {"expert-interviews": "changes_requested"},
                            second: {"expert-interviews": "not_started"}}
    (item,) = grid["homework"]
    assert item["title"]["en"] == "Expert interviews" and item["workshop_key"] == "workshop-2"
    (version,) = item["teams"][first]["versions"]
    assert (version["text"], version["review"], version["comments"], version["reviewer_id"]) == (
        "Notes of four interviews", "changes_requested", "Add the social workers", "kari")


async def test_a_review_that_the_rules_refuse_says_why(gateway: Gateway, services: Services) -> None:
    programme_id, [(team, members)] = await programme_with_teams(gateway, 1)
    path = f"/v1/programmes/{programme_id}/homework"
    await gateway.client.put(f"{path}/expert-interviews", json=HOMEWORK, headers=staff(OSLO))
    reviews = f"{path}/expert-interviews/teams/{team}/reviews"

    nothing = await gateway.client.post(reviews, json={"version": 1, "accepted": True}, headers=staff(OSLO, "trainer"))
    await services.hand_in(programme_id, team, members[0], "Notes", DUE + timedelta(hours=2))
    unsaid = await gateway.client.post(reviews, json={"version": 1, "accepted": False}, headers=staff(OSLO, "trainer"))
    grid = (await gateway.client.get(path, headers=staff(OSLO))).json()["grid"]

    assert nothing.status_code == 409 and nothing.json()["error"]["code"] == "nothing_to_review"
    assert unsaid.status_code == 422 and unsaid.json()["error"]["code"] == "changes_unsaid"
    assert grid == {team: {"expert-interviews": "late"}}


async def test_only_the_organiser_sets_homework_and_only_in_their_own_programme(gateway: Gateway,
                                                                               services: Services) -> None:
    programme_id, _ = await programme_with_teams(gateway, 1)
    path = f"/v1/programmes/{programme_id}/homework/expert-interviews"

    trainer = await gateway.client.put(path, json=HOMEWORK, headers=staff(OSLO, "trainer"))
    stranger = await gateway.client.put(path, json=HOMEWORK, headers=staff("bergen"))
    unknown = await gateway.client.get(f"/v1/programmes/{uuid4()}/homework", headers=staff(OSLO))

    assert trainer.status_code == 403 and stranger.status_code == 404 and unknown.status_code == 404
    assert gateway.sent(messages.SetHomework) == []
