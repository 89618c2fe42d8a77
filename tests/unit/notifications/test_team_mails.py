"""Team facts mail every member in their own language; a refused application tells its lead every broken rule."""

from datetime import timedelta
from uuid import uuid4

from koos_cli import programme_2016 as p2016
from koos_cli.programme_2016 import draft_2016, workshops_2016
from koos_contracts.programmes import ProgrammeDrafted, WorkshopDated, WorkshopPlan
from koos_contracts.teams import (
    Member,
    RuleBreach,
    TeamAccepted,
    TeamApplied,
    TeamDeclined,
    TeamMemberReplaced,
    TeamProgrammeDefined,
    TeamRefused,
)
from koos_contracts.values import Participant
from tests.unit.notifications.course import Course

PROGRAMME, TEAM = uuid4(), uuid4()


def member(n: int, language: str, role: str = "ngo_staff") -> Member:
    person = Participant(person_id=f"person-{n}", email=f"member{n}@example.org", name=f"Mari Õunapuu {n}",
                         language=language)
    return Member(participant=person, organisation="Tartu Tugiliin MTÜ", role=role)


MEMBERS = (member(1, "et", "ngo_leader"), member(2, "en"), member(3, "fi"), member(4, "nb"))


async def define(course: Course) -> None:
    await course.deliver(TeamProgrammeDefined(programme_id=PROGRAMME, title={"en": "Co-creation 2016",
                                                                             "et": "Koosloome 2016"},
                                              timezone="Europe/Tallinn", places=6, rule=p2016.RULE))


async def test_every_member_hears_of_the_application_in_their_language(course: Course) -> None:
    await define(course)
    await course.deliver(TeamApplied(programme_id=PROGRAMME, team_id=TEAM, name="Tartu team", ngo="Tugiliin",
                                     idea="An idea", lead_person_id="person-1", members=MEMBERS))
    await course.send_due()

    subjects = {mail.recipient.email: mail.content.subject for mail in course.mailer.sent}
    assert subjects == {"member1@example.org": "Teie meeskond on kandideerinud: Koosloome 2016",
                        "member2@example.org": "Your team has applied: Co-creation 2016",
                        "member3@example.org": "Tiiminne on hakenut: Co-creation 2016",
                        "member4@example.org": "Teamet deres har søkt: Co-creation 2016"}
    (english,) = course.mailer.to("member2@example.org")
    assert "Mari Õunapuu 1 leads the team" in english.content.text


async def test_the_lead_of_a_refused_team_reads_every_broken_rule(course: Course) -> None:
    await define(course)
    breaches = (RuleBreach(rule_key="ngo-leader", level="required", counted=0, reason="the NGO's leader: none"),
                RuleBreach(rule_key="public-side", level="required", counted=2, reason="public side: two"))
    await course.deliver(TeamRefused(programme_id=PROGRAMME, team_id=TEAM, reason_code="rule_broken",
                                     reason="…", breaches=breaches, lead=MEMBERS[1].participant, members=MEMBERS))
    await course.send_due()

    (mail,) = course.mailer.sent
    assert mail.recipient.email == "member2@example.org"
    assert "- the NGO's leader: none\n- public side: two" in mail.content.text


async def test_an_accepted_team_is_told_and_a_replacement_tells_both_people(course: Course) -> None:
    await define(course)
    await course.deliver(TeamAccepted(programme_id=PROGRAMME, team_id=TEAM, places_left=5, members=MEMBERS))
    newcomer = member(5, "et")
    await course.deliver(TeamMemberReplaced(programme_id=PROGRAMME, team_id=TEAM, left=MEMBERS[1], joined=newcomer,
                                            members=(MEMBERS[0], newcomer, *MEMBERS[2:])))
    await course.send_due()

    assert [m.content.subject for m in course.mailer.to("member2@example.org")] == [
        "Your team is in: Co-creation 2016", "You have left the team: Co-creation 2016"]
    assert [m.content.subject for m in course.mailer.to("member5@example.org")] == [
        "Tere tulemast meeskonda: Koosloome 2016"]


async def test_team_mails_announce_no_delivery_on_the_deliveries_topic(course: Course) -> None:
    await define(course)
    await course.deliver(TeamAccepted(programme_id=PROGRAMME, team_id=TEAM, places_left=5, members=MEMBERS))
    await course.send_due()

    assert len(course.mailer.sent) == 4
    assert course.notifications.events() == []


async def test_accepted_members_are_reminded_of_the_funding_round_and_planning_again_adds_none(
        course: Course) -> None:
    closes = (course.clock.now() + timedelta(days=20)).date()
    drafted = ProgrammeDrafted.model_validate({**draft_2016(PROGRAMME, closes.isoformat(), (14, 2)),
                                               "starts_on": "2000-01-01", "ends_on": "2100-12-31", "phases": []})
    await course.deliver(drafted)
    await define(course)
    accepted = TeamAccepted(programme_id=PROGRAMME, team_id=TEAM, places_left=5, members=MEMBERS[:2])
    await course.deliver(accepted)
    await course.deliver(TeamAccepted(programme_id=PROGRAMME, team_id=TEAM, places_left=5, members=MEMBERS[:2]))
    await course.send_due()
    assert [m.recipient.email for m in course.mailer.sent if "Reminder" in m.content.subject
            or "Meeldetuletus" in m.content.subject] == []

    course.clock.advance(days=6, hours=12)
    await course.send_due()
    reminders = {m.recipient.email: m.content for m in course.mailer.sent
                 if m.content.subject.startswith(("Reminder", "Meeldetuletus"))}
    assert set(reminders) == {"member1@example.org", "member2@example.org"}
    assert reminders["member1@example.org"].subject.startswith("Meeldetuletus: Teenuse arendamise taotlusvoor sulgub")
    assert "in 14 days" in reminders["member2@example.org"].text
    assert len(course.notifications.of_kind("outside_date_reminder")) == 4


async def test_dating_a_workshop_tells_every_accepted_member_with_a_calendar_entry(course: Course) -> None:
    await define(course)
    await course.deliver(TeamAccepted(programme_id=PROGRAMME, team_id=TEAM, places_left=5, members=MEMBERS[:2]))
    await course.deliver(TeamDeclined(programme_id=PROGRAMME, team_id=uuid4(), members=MEMBERS[2:]))
    workshop = WorkshopPlan.model_validate({**workshops_2016()[6], "day": "2016-09-14"})
    await course.deliver(WorkshopDated(programme_id=PROGRAMME, workshop=workshop))
    await course.send_due()

    dated = [m for m in course.mailer.sent if m.kind == "workshop_dated"]
    assert {m.recipient.email: m.content.subject for m in dated} == {
        "member1@example.org": "Töötoa kuupäev: Vabatahtlikud, 14. september 2016",
        "member2@example.org": "New workshop date: Volunteers, 14 September 2016"}
    english = next(m for m in dated if m.recipient.email == "member2@example.org")
    assert "12:30–13:30 lunch" in english.content.text
    ics = english.attachments[0].content.decode()
    assert "DTSTART;TZID=Europe/Tallinn:20160914T094500" in ics and "DTEND;TZID=Europe/Tallinn:20160914T170000" in ics


async def test_a_day_read_before_the_team_is_told_to_its_members_once_they_are_known_and_only_once(
        course: Course) -> None:
    await define(course)
    workshop = WorkshopPlan.model_validate({**workshops_2016()[6], "day": "2016-09-14"})
    await course.deliver(WorkshopDated(programme_id=PROGRAMME, workshop=workshop))  # before any team is known
    accepted = TeamAccepted(programme_id=PROGRAMME, team_id=TEAM, places_left=5, members=MEMBERS[:2])
    await course.deliver(accepted)
    await course.deliver(accepted)  # consumed again
    joining = member(5, "en")
    await course.deliver(TeamMemberReplaced(programme_id=PROGRAMME, team_id=TEAM, left=MEMBERS[1], joined=joining,
                                            members=(MEMBERS[0], joining)))
    await course.send_due()

    dated = [m for m in course.mailer.sent if m.kind == "workshop_dated"]
    assert sorted(m.recipient.email for m in dated) == [
        "member1@example.org", "member2@example.org", "member5@example.org"]
    assert {m.content.subject for m in dated if m.recipient.email == "member5@example.org"} == {
        "New workshop date: Volunteers, 14 September 2016"}
