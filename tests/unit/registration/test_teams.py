"""Teams of a development programme: the composition rule as data, one team per person, six places, replacements."""

from typing import Any
from uuid import UUID, uuid4

import pytest

from koos_cli import programme_2016 as p2016
from koos_contracts import Message, parse
from koos_contracts.teams import (
    ApplyWithTeam,
    CompositionRule,
    DecideOnTeam,
    DefineTeamProgramme,
    ReplaceTeamMember,
    TeamAccepted,
    TeamApplied,
    TeamChangeRefused,
    TeamMember,
    TeamMemberReplaced,
    TeamRefused,
    TeamUnchanged,
    TeamWaitlisted,
)
from koos_kit.events import EventFactory
from koos_registration.domain.composition import check
from koos_registration.service_layer import teams
from koos_registration.service_layer.teams import TeamPorts
from tests.fakes import RecordingReplies, envelope_for
from tests.unit.registration.fakes import FakeProgrammes

PROGRAMME = UUID("8d7e3a55-7d1f-4c33-b0a3-3f0a2c7d2016")
ORG = "sev"


@pytest.fixture
def ports() -> TeamPorts:
    return TeamPorts(programmes=FakeProgrammes(), replies=RecordingReplies(), factory=EventFactory("/tests"))


def outcomes(ports: TeamPorts) -> list[Message]:
    stored = ports.programmes.events  # type: ignore[attr-defined]
    return [parse(e) for e in [*stored, *ports.replies.envelopes]]  # type: ignore[attr-defined]


async def send(command: Message, ports: TeamPorts, organisation: str = ORG) -> Message:
    """Handle a command and return its one outcome (the event caused by it)."""
    envelope = envelope_for(command, organisation)
    handler = {DefineTeamProgramme: teams.define_programme, ApplyWithTeam: teams.apply_with_team,
               DecideOnTeam: teams.decide_on_team, ReplaceTeamMember: teams.replace_member}[type(command)]
    await handler(command, envelope, ports)  # type: ignore[operator]
    stored = [*ports.programmes.events, *ports.replies.envelopes]  # type: ignore[attr-defined]
    caused = [parse(e) for e in stored if e.causationid == envelope.id]
    assert len(caused) == 1, caused
    return caused[0]


async def define(ports: TeamPorts, places: int = 6) -> None:
    await send(DefineTeamProgramme(programme_id=PROGRAMME, title={"en": "Co-creation 2016", "et": "Koosloome 2016"},
                                   timezone="Europe/Tallinn", places=places, rule=p2016.RULE), ports)


def applying(number: int, members: list[dict[str, Any]] | None = None, team_id: UUID | None = None) -> ApplyWithTeam:
    members = members if members is not None else p2016.full_team(number)
    return ApplyWithTeam.model_validate({"programme_id": PROGRAMME, "team_id": team_id or uuid4(),
                                         **p2016.application(number, members)})


RULE = CompositionRule.model_validate(p2016.RULE)


def test_a_team_that_meets_the_rule_has_no_breaches() -> None:
    verdict = check(RULE, ["ngo_leader", "ngo_staff", "development_lead", "ministry_representative",
                           "masters_student"])
    assert not verdict.refused and verdict.warnings == ()


def test_every_broken_required_rule_is_named() -> None:
    verdict = check(RULE, ["ngo_staff", "ngo_staff", "ngo_staff", "development_lead", "fund_service_manager"])
    assert [b.rule_key for b in verdict.broken] == ["public-side", "ngo-staff", "ngo-leader"]
    assert "exactly 1 allowed, the team has 2" in verdict.reason
    assert "exactly 2 allowed, the team has 3" in verdict.reason
    assert "the NGO's leader: at least 1 wanted, the team has 0" in verdict.reason


def test_missing_recommended_members_are_warnings_not_refusals() -> None:
    verdict = check(RULE, ["ngo_leader", "ngo_staff", "social_services_official"])
    assert not verdict.refused
    assert [w.rule_key for w in verdict.warnings] == ["ministry", "student"]


def test_two_ministry_representatives_break_a_required_maximum() -> None:
    verdict = check(RULE, ["ngo_leader", "ngo_staff", "development_lead", "ministry_representative",
                           "ministry_representative"])
    assert [b.rule_key for b in verdict.broken] == ["ministry-at-most"]


def test_a_role_the_programme_does_not_know_is_refused() -> None:
    verdict = check(RULE, ["ngo_leader", "ngo_staff", "development_lead", "astronaut"])
    assert verdict.refused and "astronaut" in verdict.reason


async def test_an_application_that_breaks_rules_is_refused_with_each_named(ports: TeamPorts) -> None:
    await define(ports)
    members = [m for m in p2016.full_team(1) if m["role"] != "ngo_leader"]
    outcome = await send(applying(1, [*members, p2016.member("Ann Tamm", "ann@example.org", "MTÜ", "ngo_staff")]),
                         ports)
    assert isinstance(outcome, TeamRefused) and outcome.reason_code == "rule_broken"
    assert [b.rule_key for b in outcome.breaches] == ["ngo-leader"]


async def test_an_application_without_a_student_is_accepted_with_a_warning(ports: TeamPorts) -> None:
    await define(ports)
    outcome = await send(applying(2, p2016.full_team(2, student=False)), ports)
    assert isinstance(outcome, TeamApplied)
    assert [w.rule_key for w in outcome.warnings] == ["student"]
    assert {m.participant.language for m in outcome.members} == {"et"}


async def test_a_person_is_in_at_most_one_team_per_programme(ports: TeamPorts) -> None:
    await define(ports)
    await send(applying(1), ports)
    second = p2016.full_team(2)
    second[1] = p2016.full_team(1)[1]
    outcome = await send(applying(2, second), ports)
    assert isinstance(outcome, TeamRefused) and outcome.reason_code == "already_in_a_team"
    assert "Jüri Šmidt 1 is in the team" in outcome.reason


async def test_the_organiser_accepts_up_to_the_places_and_the_rest_wait(ports: TeamPorts) -> None:
    await define(ports, places=2)
    ids = [uuid4() for _ in range(3)]
    for number, team_id in enumerate(ids):
        assert isinstance(await send(applying(number, team_id=team_id), ports), TeamApplied)
    first = await send(DecideOnTeam(programme_id=PROGRAMME, team_id=ids[0], decision="accept"), ports)
    second = await send(DecideOnTeam(programme_id=PROGRAMME, team_id=ids[1], decision="accept"), ports)
    assert isinstance(first, TeamAccepted) and first.places_left == 1
    assert isinstance(second, TeamAccepted) and second.places_left == 0
    third = await send(DecideOnTeam(programme_id=PROGRAMME, team_id=ids[2], decision="accept"), ports)
    assert isinstance(third, TeamChangeRefused) and third.reason == "all 2 places are taken; let the team wait or " \
                                                                   "decline it"
    assert isinstance(await send(DecideOnTeam(programme_id=PROGRAMME, team_id=ids[2], decision="wait"), ports),
                      TeamWaitlisted)


async def test_accepting_an_accepted_team_again_changes_nothing(ports: TeamPorts) -> None:
    await define(ports)
    team_id = uuid4()
    await send(applying(1, team_id=team_id), ports)
    await send(DecideOnTeam(programme_id=PROGRAMME, team_id=team_id, decision="accept"), ports)
    again = await send(DecideOnTeam(programme_id=PROGRAMME, team_id=team_id, decision="accept"), ports)
    assert isinstance(again, TeamUnchanged) and again.status == "accepted"


async def test_replacing_a_member_checks_the_rule_again(ports: TeamPorts) -> None:
    await define(ports)
    team_id = uuid4()
    await send(applying(1, team_id=team_id), ports)
    leader = p2016.full_team(1)[0]["person"]["email"]
    staff = TeamMember.model_validate(p2016.member("Peeter Kask", "peeter@example.org", "MTÜ", "ngo_staff"))
    refused = await send(ReplaceTeamMember(programme_id=PROGRAMME, team_id=team_id, leaving_email=leader,
                                           member=staff), ports)
    assert isinstance(refused, TeamChangeRefused) and [b.rule_key for b in refused.breaches] == ["ngo-leader"]
    new_leader = TeamMember.model_validate(p2016.member("Kadri Kask", "kadri@example.org", "MTÜ", "ngo_leader", "en"))
    replaced = await send(ReplaceTeamMember(programme_id=PROGRAMME, team_id=team_id, leaving_email=leader,
                                            member=new_leader), ports)
    assert isinstance(replaced, TeamMemberReplaced) and replaced.joined.participant.name == "Kadri Kask"
    assert leader not in {m.participant.email for m in replaced.members}


async def test_another_organisation_cannot_apply_to_the_programme(ports: TeamPorts) -> None:
    await define(ports)
    outcome = await send(applying(1), ports, organisation="someone-else")
    assert isinstance(outcome, TeamRefused) and outcome.reason_code == "unknown_programme"


async def test_a_command_consumed_again_says_nothing_new(ports: TeamPorts) -> None:
    await define(ports)
    command = applying(1)
    envelope = envelope_for(command, ORG)
    await teams.apply_with_team(command, envelope, ports)
    await teams.apply_with_team(command, envelope, ports)
    assert len([m for m in outcomes(ports) if isinstance(m, TeamApplied)]) == 1
