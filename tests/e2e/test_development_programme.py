"""The 2016 development programme on the real servers (issue 13): its lifecycle refused when a step is skipped, its
funding round in the calendar and reminded, teams under the programme's composition rule refused with every broken
rule named, six places given by the organiser, a replacement, ten workshops of which one is dated later (every
member told with a calendar entry), every member mailed in their own language."""

import asyncio
from datetime import datetime, timedelta
from typing import Any
from uuid import uuid4
from zoneinfo import ZoneInfo

import httpx
import pytest

from koos_cli import programme_2016 as p2016
from tests.fixtures.mail import Mailbox
from tests.fixtures.stack import Stack

pytestmark = pytest.mark.e2e

PLACES = 6


async def settled(stack: Stack, answer: httpx.Response) -> tuple[int, dict[str, Any]]:
    """The answer once its command is decided: a 202 is followed to the command's outcome."""
    if answer.status_code != 202:
        return answer.status_code, answer.json()
    for _ in range(240):
        command = (await stack.gateway.get(answer.headers["Location"], headers=stack.staff())).json()
        if command["status"] != "pending":
            return (200 if command["status"] == "succeeded" else 422), command
        await asyncio.sleep(0.5)
    raise AssertionError("the command was never decided")


async def draft(stack: Stack, programme_id: str) -> None:
    """The programme drafted with its funding round closing tomorrow, reminded two days before (so at once)."""
    tomorrow = (datetime.now(ZoneInfo("Europe/Tallinn")) + timedelta(days=1)).date()
    plan = {**p2016.draft_2016(programme_id, tomorrow.isoformat(), (2,)), "starts_on": "2016-01-01",
            "ends_on": f"{tomorrow.year + 1}-12-31"}
    answer = await stack.gateway.post("/v1/programmes", json=plan, headers=stack.staff())
    assert (await settled(stack, answer))[0] in (200, 201)
    stage = f"/v1/programmes/{programme_id}/stage"
    for to in ("published", "registration_open"):
        assert (await settled(stack, await stack.gateway.post(stage, json={"to": to}, headers=stack.staff())))[0] \
            == 200
    skipped = await stack.gateway.post(stage, json={"to": "running"}, headers=stack.staff())
    assert skipped.status_code == 422
    assert skipped.json()["error"]["reason"] == "running can only follow registration closed; the programme is " \
                                                "registration open"
    feed = (await stack.gateway.get(f"/v1/programmes/{programme_id}/calendar.ics", params={"lang": "en"})).text
    assert "SUMMARY:The funding round for service development closes" in feed
    assert f"DTSTART;TZID=Europe/Tallinn:{tomorrow:%Y%m%d}T000000" in feed


async def define(stack: Stack, programme_id: str) -> None:
    body = {"title": {"et": "Koosloome programm 2016", "en": "Co-creation programme 2016"},
            "timezone": "Europe/Tallinn", "places": PLACES, "rule": p2016.RULE}
    status, _ = await settled(stack, await stack.gateway.put(f"/v1/programmes/{programme_id}/team-rule", json=body,
                                                             headers=stack.staff()))
    assert status == 200


async def apply(stack: Stack, programme_id: str, number: int, members: list[dict[str, Any]]) -> httpx.Response:
    return await stack.gateway.post(f"/v1/public/programmes/{programme_id}/teams",
                                    json=p2016.application(number, members, stack.mail_domain))


async def teams_listed(stack: Stack, programme_id: str, count: int) -> dict[str, Any]:
    for _ in range(240):
        listed = (await stack.gateway.get(f"/v1/programmes/{programme_id}/teams", headers=stack.staff())).json()
        if len(listed["teams"]) == count:
            return dict(listed)
        await asyncio.sleep(0.5)
    raise AssertionError("the teams did not all arrive")


async def test_the_2016_programme_recruits_six_teams_under_its_composition_rule(stack: Stack,
                                                                                smtp_server: Any) -> None:
    mailbox = Mailbox(smtp_server.maildir, stack.mail_domain)
    programme_id, domain = str(uuid4()), stack.mail_domain
    await draft(stack, programme_id)
    await define(stack, programme_id)
    valid = {n: p2016.full_team(n, domain, student=n != 3) for n in range(PLACES + 1)}
    answers = [await apply(stack, programme_id, n, members) for n, members in valid.items()]
    team_ids = []
    for answer in answers:
        status, body = await settled(stack, answer)
        assert status in (200, 201), body
        team_ids.append(body.get("team_id") or body["links"]["resource"].rsplit("/", 1)[-1])

    no_leader = [m for m in p2016.full_team(10, domain) if m["role"] != "ngo_leader"]
    two_public = [*p2016.full_team(11, domain), p2016.member("Aino Kask", f"fund11@{domain}", "Töötukassa",
                                                            "fund_service_manager")]
    refused = {n: await settled(stack, await apply(stack, programme_id, n, members))
               for n, members in ((10, no_leader), (11, two_public))}
    assert refused[10][0] == 422
    assert [d["reason"] for d in refused[10][1]["error"]["details"]] == [
        "NGO staff: exactly 2 wanted, the team has 1", "the NGO's leader: at least 1 wanted, the team has 0"]
    assert refused[11][0] == 422
    assert [d["reason"] for d in refused[11][1]["error"]["details"]] == [
        "a person from local government or the unemployment insurance fund: exactly 1 allowed, the team has 2"]

    twice = [*p2016.full_team(12, domain)[:4], valid[0][0] | {"role": "masters_student"}]
    status, body = await settled(stack, await apply(stack, programme_id, 12, twice))
    assert status == 409 and body["error"]["code"] == "already_in_a_team"

    listed = await teams_listed(stack, programme_id, PLACES + 1)
    warnings = {t["name"]: [w["rule_key"] for w in t["warnings"]] for t in listed["teams"]}
    assert warnings[f"{p2016.TOWNS[3]} team"] == ["student"]
    assert sum(bool(w) for w in warnings.values()) == 1

    decision = f"/v1/programmes/{programme_id}/teams/{{}}/decision"
    for team_id in team_ids[:PLACES]:
        status, body = await settled(stack, await stack.gateway.post(decision.format(team_id),
                                                                     json={"decision": "accept"},
                                                                     headers=stack.staff()))
        assert status == 200 and body.get("status", "accepted") == "accepted", body
    full = await stack.gateway.post(decision.format(team_ids[PLACES]), json={"decision": "accept"},
                                    headers=stack.staff())
    assert full.status_code == 409 and full.json()["error"]["reason"].startswith("all 6 places are taken")
    status, _ = await settled(stack, await stack.gateway.post(decision.format(team_ids[PLACES]),
                                                              json={"decision": "wait"}, headers=stack.staff()))
    assert status == 200

    leaving = valid[0][1]["person"]["email"]
    newcomer = p2016.member("Kadri Kask", f"newcomer@{domain}", "Tartu Tugiliin MTÜ", "ngo_staff", "en")
    replace = f"/v1/programmes/{programme_id}/teams/{team_ids[0]}/replace-member"
    breaking = await stack.gateway.post(replace, json={"leaving_email": valid[0][0]["person"]["email"],
                                                       "member": newcomer}, headers=stack.staff())
    assert breaking.status_code == 422 and "the NGO's leader" in breaking.json()["error"]["reason"]
    status, _ = await settled(stack, await stack.gateway.post(replace, json={"leaving_email": leaving,
                                                                             "member": newcomer},
                                                              headers=stack.staff()))
    assert status == 200

    workshops = await stack.gateway.put(f"/v1/programmes/{programme_id}/workshops",
                                        json={"workshops": p2016.workshops_2016()}, headers=stack.staff())
    assert (await settled(stack, workshops))[0] == 200
    dated = await stack.gateway.post(f"/v1/programmes/{programme_id}/workshops/workshop-7/day",
                                     json={"day": "2016-09-14"}, headers=stack.staff())
    assert (await settled(stack, dated))[0] == 200
    feed = (await stack.gateway.get(f"/v1/programmes/{programme_id}/calendar.ics", params={"lang": "et"})).text
    assert feed.count("BEGIN:VEVENT") == 2 + 1 + 7
    assert "SUMMARY:Koosloome programm 2016: Vabatahtlikud" in feed

    members = [m for team in valid.values() for m in team]
    applied = await mailbox.wait_for(len(members), "team_applied")
    assert {m.recipient for m in applied} == {m["person"]["email"] for m in members}
    for mail in applied:
        language = next(m["person"]["language"] for m in members if m["person"]["email"] == mail.recipient)
        assert mail.language == language
        assert mail.subject == {"et": "Teie meeskond on kandideerinud: Koosloome programm 2016",
                                "en": "Your team has applied: Co-creation programme 2016"}[language]
    accepted_members = {m["person"]["email"] for n in range(PLACES) for m in valid[n]}
    accepted = await mailbox.wait_for(len(accepted_members), "team_accepted")
    assert {m.recipient for m in accepted} == accepted_members
    waiting = await mailbox.wait_for(len(valid[PLACES]), "team_waitlisted")
    assert {m.recipient for m in waiting} == {m["person"]["email"] for m in valid[PLACES]}
    refusals = await mailbox.wait_for(3, "team_refused")
    assert {m.recipient for m in refusals} == {team[0]["person"]["email"] for team in (no_leader, two_public, twice)}
    assert "the NGO's leader: at least 1 wanted" in next(m.text() for m in refusals
                                                         if m.recipient == no_leader[0]["person"]["email"])
    reminded = await mailbox.wait_for(len(accepted_members), "outside_date_reminder")
    assert sorted(m.recipient for m in reminded) == sorted(accepted_members)
    english = next(m for m in reminded if m.language == "en")
    assert english.subject.startswith("Reminder: The funding round for service development closes on")
    (joined,) = await mailbox.wait_for(1, "team_member_joined")
    (left,) = await mailbox.wait_for(1, "team_member_left")
    assert (joined.recipient, joined.language, left.recipient) == (f"newcomer@{domain}", "en", leaving)
    told = accepted_members - {leaving} | {f"newcomer@{domain}"}
    workshop_mails = await mailbox.wait_for(len(told), "workshop_dated")
    assert sorted(m.recipient for m in workshop_mails) == sorted(told)
    estonian = next(m for m in workshop_mails if m.language == "et")
    assert estonian.subject.strip() == "Töötoa kuupäev: Vabatahtlikud, 14. september 2016"
    assert "DTSTART;TZID=Europe/Tallinn:20160914T094500" in estonian.calendar()
