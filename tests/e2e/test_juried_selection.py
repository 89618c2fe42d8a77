"""Training, juried selection and mentoring for institutions, on the real servers (issue 14).

14 institutions apply, 12 are admitted; three jurors, one of them from an applicant's organisation (never assigned
to it, refused when trying); the test sends the scores, computes z-scores, weights and ranks itself
(`jury_figures`), and checks that Koos proposes the same six, breaks the planted tie by the rule chosen before
scoring, flags the planted outlier, tells every applicant in Estonian and hands the six to mentors free of
conflicts, with monthly sessions planned by the counselling solver.
"""

import asyncio
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest

from koos_contracts.scheduling import PublishEdition, SessionPlan
from koos_contracts.values import Venue
from tests.e2e import jury_figures as figures
from tests.fixtures.mail import Mailbox, per_recipient
from tests.fixtures.stack import Stack

pytestmark = pytest.mark.e2e

INSTITUTIONS = [
    ("eesti-kunstimuuseum", "Eesti Kunstimuuseum", "museum"),
    ("tartu-linnaraamatukogu", "Tartu Linnaraamatukogu", "library"),
    ("vanemuine", "Teater Vanemuine", "theatre"),
    ("estonia-kontserdisaal", "Estonia kontserdisaal", "concert_hall"),
    ("eesti-rahva-muuseum", "Eesti Rahva Muuseum", "museum"),
    ("narva-muuseum", "Narva Muuseum", "museum"),
    ("tallinna-keskraamatukogu", "Tallinna Keskraamatukogu", "library"),
    ("ugala", "Ugala teater", "theatre"),
    ("parnu-muuseum", "Pärnu Muuseum", "museum"),
    ("voru-raamatukogu", "Võru Linnaraamatukogu", "library"),
    ("kumu-noored", "Kumu noortekeskus", "museum"),
    ("endla", "Endla teater", "theatre"),
    ("viljandi-muuseum", "Viljandi Muuseum", "museum"),
    ("saaremaa-muuseum", "Saaremaa Muuseum", "museum"),
]
ADMITTED = 12
SCALE = {"lowest": 1, "highest": 5, "levels": [{"value": v, "description": {"et": f"tase {v}", "en": f"level {v}"}}
                                               for v in range(1, 6)]}
RUBRIC = [{"key": "description", "title": {"et": "Teenuse kirjeldus", "en": "Service description"}, "weight": 3,
           "max_size_bytes": 2_000_000,
           "criteria": [{"key": "clarity", "title": {"et": "Selgus", "en": "Clarity"}, "weight": 2, **SCALE},
                        {"key": "feasibility", "title": {"et": "Teostatavus", "en": "Feasibility"}, "weight": 1,
                         **SCALE}]},
          {"key": "presentation", "title": {"et": "Esitlus", "en": "Presentation"}, "weight": 2,
           "criteria": [{"key": "delivery", "title": {"et": "Esitus", "en": "Delivery"}, "weight": 1, **SCALE}]}]
TIE_BREAKS = ["higher_presentation_score", "earlier_application"]
QUALITY = [5, 4, 2, 4, 1, 3, 5, 2, 4, 3, 1, 2]
PRESENTATION = [0, 1, -1, 0, 0, 0, -1, 1, 1, 0, 0, 1]
FEASIBILITY = [0, -1, 0, 1, 0, 0, 1, 0, -1, 0, 1, 0]
LENIENCE = {"juror-a": -1, "juror-b": 0, "juror-c": 1}
TIED, OUTLIER = (5, 9), (3, "juror-b")


def sheet(i: int, juror: str) -> dict[str, int]:
    """What a juror gives application i: its quality with the juror's lenience (none on the planted tie)."""
    if (i, juror) == OUTLIER:
        return {"clarity": 1, "feasibility": 1, "delivery": 1}
    offset = 0 if i in TIED else LENIENCE[juror]
    return {c: max(1, min(5, QUALITY[i] + extra + offset))
            for c, extra in (("clarity", 0), ("feasibility", FEASIBILITY[i]), ("delivery", PRESENTATION[i]))}


def programme(closes_in: timedelta) -> PublishEdition:
    venue = Venue(name="Arhitektuurikatel, traforuum", address="Põhja pst 27a", city="Tallinn")
    first = (datetime.now(UTC) + timedelta(days=60)).date()
    days = tuple(SessionPlan(session_id=f"day{n + 1}", date=first + timedelta(days=14 * n), start=time(9),
                             end=time(17), venue=venue, title={"et": f"Koolituspäev {n + 1}"}) for n in range(4))
    return PublishEdition(edition_id=uuid4(), title={"et": "Teenusedisain kultuuriasutustele"},
                          description={"et": "Neli koolituspäeva, kodutööd ja mentorlus."}, timezone="Europe/Tallinn",
                          starts_on=first, ends_on=first + timedelta(days=42), capacity=ADMITTED,
                          registration_opens_at=datetime.now(UTC) - timedelta(days=1),
                          registration_closes_at=datetime.now(UTC) + closes_in, sessions=days)


async def publish(stack: Stack, plan: PublishEdition) -> None:
    answer = await stack.gateway.post("/v1/editions", json=plan.model_dump(mode="json"), headers=stack.staff())
    assert answer.status_code == 201, answer.text


async def apply(stack: Stack, edition_id: UUID, n: int) -> Any:
    institution_id, name, kind = INSTITUTIONS[n]
    body = {"institution": {"institution_id": institution_id, "name": name, "kind": kind},
            "contacts": [{"person": {"email": stack.email(n), "name": f"Mari-Liis Õunapuu {n}", "language": "et"},
                          "role": "projektijuht"}],
            "staff": [{"email": stack.email(100 + n), "name": f"Jüri Ääremaa {n}", "language": "et"}],
            "motivation": "Tahame jõuda elanikeni, kes eesti keelt ei räägi."}
    return await stack.gateway.post(f"/v1/public/editions/{edition_id}/applications", json=body,
                                    params={"wait": 15})


async def organise(stack: Stack, method: str, path: str, body: Any = None, role: str = "organiser",
                   subject: str | None = None) -> Any:
    headers = stack.staff(role) if subject is None else stack.staff_as(subject, role)
    return await stack.gateway.request(method, path, json=body, params={"wait": 15}, headers=headers)


def member(stack: Stack, person_id: str, n: int, organisations: list[str], limit: int) -> dict[str, Any]:
    return {"person_id": person_id, "name": f"Hindaja Kõiv {n}", "email": stack.email(200 + n), "language": "et",
            "organisations": organisations, "limit": limit}


async def jury_view(stack: Stack, edition_id: UUID, *path: str) -> dict[str, Any]:
    """The organiser's view of the jury once it holds the fact at `path` (a kind, and keys within it)."""
    for _ in range(120):
        found = (await stack.gateway.get(f"/v1/editions/{edition_id}/jury", headers=stack.staff())).json()
        fact: Any = found
        for key in path:
            fact = fact.get(key) if isinstance(fact, dict) else None
        if fact:
            return dict(found)
        await asyncio.sleep(0.5)
    raise AssertionError(f"no {'.'.join(path)} in the jury's read model")


async def test_fourteen_apply_twelve_are_admitted_and_the_jury_selects_the_six_the_rules_say(
        stack: Stack, smtp_server: Any) -> None:
    mailbox = Mailbox(smtp_server.maildir, stack.mail_domain)
    plan = programme(closes_in=timedelta(seconds=40))
    await publish(stack, plan)
    path = f"/v1/editions/{plan.edition_id}"
    ids = []
    for n in range(len(INSTITUTIONS)):
        answer = await apply(stack, plan.edition_id, n)
        assert answer.status_code == 201, answer.text
        ids.append(answer.json()["application_id"])
    again = await apply(stack, plan.edition_id, 0)
    assert again.status_code == 201 and again.json()["application_id"] == ids[0]
    received = await mailbox.wait_for(len(INSTITUTIONS), "application_received")
    assert per_recipient(received) == {stack.email(n): 1 for n in range(len(INSTITUTIONS))}
    assert all(m.language == "et" and "taotlus" in m.text() for m in received)

    early = await organise(stack, "POST", f"{path}/applications/{ids[0]}/decision", {"admit": True})
    assert early.status_code == 422 and early.json()["error"]["code"] == "window_open"
    listed = (await stack.gateway.get(f"{path}/applications", headers=stack.staff())).json()
    assert [a["application_id"] for a in listed] == ids and listed[0]["motivation"]["text"].startswith("Tahame")
    await asyncio.sleep(max(0.0, (plan.registration_closes_at - datetime.now(UTC)).total_seconds()) + 1)
    late = await stack.gateway.post(f"/v1/public/editions/{plan.edition_id}/applications",
                                    json={**(await _body_of(stack, 99)), "motivation": "Hilja"}, params={"wait": 15})
    assert late.status_code == 422 and late.json()["error"]["code"] == "closed"
    for n, application_id in enumerate(ids):
        decided = await organise(stack, "POST", f"{path}/applications/{application_id}/decision",
                                 {"admit": n < ADMITTED})
        assert decided.status_code == 201, decided.text
    await mailbox.wait_for(ADMITTED, "application_admitted")
    assert len(await mailbox.wait_for(2, "application_declined")) == 2
    admitted = ids[:ADMITTED]

    defined = await organise(stack, "PUT", f"{path}/jury", {
        "artefacts": RUBRIC, "places": 6, "jurors_per_application": 3, "tie_breaks": TIE_BREAKS,
        "share_scores": True})
    assert defined.status_code == 201, defined.text
    for n, juror in enumerate(LENIENCE):
        affiliated = [INSTITUTIONS[0][0]] if juror == "juror-a" else ["tallinna-ulikool"]
        answer = await organise(stack, "POST", f"{path}/jury/jurors", member(stack, juror, n, affiliated, 12))
        assert answer.status_code == 201, answer.text
    await _until_admitted(stack, path, admitted)
    assigned = await organise(stack, "POST", f"{path}/jury/assignment")
    assert assigned.status_code == 201, assigned.text
    assignment = (await jury_view(stack, plan.edition_id, "assignment"))["assignment"]
    pairs = {(a["application_id"], a["juror_id"]) for a in assignment["assignments"]}
    assert (ids[0], "juror-a") not in pairs
    assert pairs == {(a, j) for a in admitted for j in LENIENCE} - {(ids[0], "juror-a")}
    assert [s["application_id"] for s in assignment["shortfalls"]] == [ids[0]]

    conflicted = await _score(stack, path, ids[0], "juror-a", sheet(0, "juror-a"))
    assert conflicted.status_code == 422, conflicted.text
    error = conflicted.json()["error"]
    assert error["code"] == "conflict_of_interest" and INSTITUTIONS[0][0] in error["reason"]
    sent: figures.Sheets = {}
    first_draft = {"clarity": 5, "feasibility": 5, "delivery": 5}
    assert (await _score(stack, path, admitted[2], "juror-b", first_draft)).status_code == 201
    for i, application_id in enumerate(admitted):
        for juror in ("juror-a", "juror-b"):
            if (application_id, juror) in pairs:
                answer = await _score(stack, path, application_id, juror, sheet(i, juror))
                assert answer.status_code == 201, answer.text
                sent[juror, application_id] = sheet(i, juror)
    reminded = await organise(stack, "POST", f"{path}/jury/reminders")
    assert reminded.status_code == 201, reminded.text
    reminders = await mailbox.wait_for(1, "juror_reminder")
    await asyncio.sleep(2)
    assert per_recipient(mailbox.mails("juror_reminder")) == {stack.email(202): 1}
    assert f"{ADMITTED}" in reminders[0].text() and reminders[0].language == "et"
    for i, application_id in enumerate(admitted):
        answer = await _score(stack, path, application_id, "juror-c", sheet(i, "juror-c"))
        assert answer.status_code == 201, answer.text
        sent["juror-c", application_id] = sheet(i, "juror-c")

    mentors = [("mentor-1", [INSTITUTIONS[6][0]], 3), ("mentor-2", ["kultuuriministeerium"], 2),
               ("mentor-3", ["disainikeskus"], 2)]
    for n, (mentor, organisations, capacity) in enumerate(mentors):
        answer = await organise(stack, "POST", f"{path}/jury/mentors", member(stack, mentor, 10 + n, organisations,
                                                                                capacity))
        assert answer.status_code == 201, answer.text
    closed = await organise(stack, "POST", f"{path}/jury/close")
    assert closed.status_code == 201, closed.text
    proposal = (await jury_view(stack, plan.edition_id, "proposal"))["proposal"]
    assert (await _score(stack, path, admitted[1], "juror-b", sheet(1, "juror-b"))).status_code == 422

    expected = figures.ranking(sent, admitted)
    assert [r["application_id"] for r in proposal["ranking"]] == expected
    assert proposal["selected"] == expected[:6]
    totals = figures.scores(sent)
    for ranked in proposal["ranking"]:
        assert ranked["score"] == pytest.approx(totals[ranked["application_id"]], abs=1e-9)
    tied = [admitted[i] for i in TIED]
    assert expected[5:7] == tied
    sixth = proposal["ranking"][5]
    assert sixth["tie_break"] == {"rule": "earlier_application", "other": tied[1], "ahead": True}
    assert "viigireegel „varasem taotlus”" in sixth["justification"]["et"]
    flagged = {(r["application_id"], o["juror_id"]) for r in proposal["ranking"] for o in r["outliers"]}
    assert flagged == figures.outliers(sent) == {(admitted[OUTLIER[0]], OUTLIER[1])}
    assert proposal["ranking"][0]["justification"]["et"].startswith(f"Koht 1/{ADMITTED}: valitud.")
    assert set(proposal["agreement"]) == {"clarity", "feasibility", "delivery"}
    assert not mailbox.mails("selection_selected") and not mailbox.mails("selection_thanked")
    applicant = stack.participant(f"applicant:{ids[0]}", ids[0])
    assert (await stack.gateway.get(f"{path}/jury", headers=applicant)).status_code in (401, 403)

    released = await organise(stack, "POST", f"{path}/jury/release")
    assert released.status_code == 201, released.text
    chosen = {stack.email(ids.index(a)) for a in expected[:6]}
    told = await mailbox.wait_for(6, "selection_selected")
    thanked = await mailbox.wait_for(ADMITTED - 6, "selection_thanked")
    assert {m.recipient for m in told} == chosen and len(thanked) == ADMITTED - 6
    assert {m.recipient for m in thanked} == {stack.email(ids.index(a)) for a in expected[6:]}
    assert all(m.language == "et" and "Žürii hinded" in m.text() for m in told + thanked)
    mentoring = (await jury_view(stack, plan.edition_id, "mentoring"))["mentoring"]
    paired = {p["application_id"]: p["mentor"]["person_id"] for p in mentoring["pairs"]}
    assert set(paired) == set(expected[:6]) and not mentoring["unpaired"]
    assert paired.get(ids[6]) != "mentor-1"
    assert max(list(paired.values()).count(m) for m, _, _ in mentors) <= 3
    assert len(await mailbox.wait_for(6, "mentor_assigned")) == 6
    planned = (await jury_view(stack, plan.edition_id, "sessions"))["sessions"]
    sessions = planned["sessions"]
    assert not planned["unmet"] and len(sessions) == 6 * mentoring["months"]
    for application in expected[:6]:
        mine = [s for s in sessions if s["application_id"] == application]
        assert {s["mentor_id"] for s in mine} == {paired[application]}
        assert len({s["starts_at"][:7] for s in mine}) == mentoring["months"]
    assert len({(s["mentor_id"], s["starts_at"]) for s in sessions}) == len(sessions)

    first = expected[0]
    report = f"{path}/mentoring/{first}/milestones"
    early = await organise(stack, "POST", report, {"milestone": "final_report", "report": "Kokkuvõte"}, "mentor",
                           paired[first])
    assert early.status_code == 422 and "pilot_planned" in early.json()["error"]["reason"]
    for key in ("pilot_planned", "pilot_launched", "midterm_review", "final_report"):
        answer = await organise(stack, "POST", report, {"milestone": key, "report": f"{key}: tehtud"}, "mentor",
                                paired[first])
        assert answer.status_code == 201, answer.text
    milestones = (await jury_view(stack, plan.edition_id, "milestones", first, "final_report"))["milestones"]
    assert milestones[first]["final_report"]["finished"] is True and len(milestones[first]) == 4


async def _body_of(stack: Stack, n: int) -> dict[str, Any]:
    return {"institution": {"institution_id": f"hiline-{n}", "name": "Hiline Muuseum", "kind": "museum"},
            "contacts": [{"person": {"email": stack.email(n), "name": "Hiline Inimene", "language": "et"},
                          "role": "direktor"}]}


async def _score(stack: Stack, path: str, application_id: str, juror: str, values: dict[str, int]) -> Any:
    body = {"scores": [{"criterion": c, "value": v, "comment": {"text": f"{c}: hinne {v}"}} for c, v in values.items()]}
    return await organise(stack, "PUT", f"{path}/jury/scores/{application_id}", body, role="juror", subject=juror)


async def _until_admitted(stack: Stack, path: str, admitted: list[str]) -> None:
    """Evaluation learns admissions from registration's events; give them a moment before assigning."""
    for _ in range(60):
        listed = (await stack.gateway.get(f"{path}/applications", headers=stack.staff())).json()
        if sum(a["status"] == "admitted" for a in listed) == len(admitted):
            await asyncio.sleep(1)
            return
        await asyncio.sleep(0.5)
    raise AssertionError("admissions did not arrive")


def info_day(city: str, venue: Venue, day: date, capacity: int) -> PublishEdition:
    return PublishEdition(edition_id=uuid4(), title={"et": f"Infopäev: {city}"}, timezone="Europe/Tallinn",
                          starts_on=day, ends_on=day, capacity=capacity,
                          registration_opens_at=datetime.now(UTC) - timedelta(days=1),
                          registration_closes_at=datetime(2027, 2, 4, tzinfo=UTC),
                          sessions=(SessionPlan(session_id="info", date=day, start=time(11), end=time(13),
                                                venue=venue),))


async def test_two_info_days_each_with_its_own_seats_and_line_and_mails_in_estonian(
        stack: Stack, smtp_server: Any) -> None:
    mailbox = Mailbox(smtp_server.maildir, stack.mail_domain)
    tallinn = info_day("Tallinn", Venue(name="Arhitektuurikatel (traforuum)", address="Põhja pst 27a",
                                        city="Tallinn"), date(2027, 2, 5), capacity=2)
    tartu = info_day("Tartu", Venue(name="Loodusmaja saal", address="Lille 10", city="Tartu"), date(2027, 2, 7),
                     capacity=1)
    for plan in (tallinn, tartu):
        await publish(stack, plan)
    people = {tallinn.edition_id: [0, 1, 2], tartu.edition_id: [3, 4]}
    for edition_id, numbers in people.items():
        for n in numbers:
            answer = await stack.gateway.post(f"/v1/public/editions/{edition_id}/registrations", params={"wait": 15},
                                              json={"email": stack.email(n), "name": f"Kärt Sõõrd {n}",
                                                    "language": "et"})
            assert answer.status_code == 201, answer.text
    for plan, seated in ((tallinn, 2), (tartu, 1)):
        lists = (await stack.gateway.get(f"/v1/editions/{plan.edition_id}/registrations",
                                         headers=stack.staff())).json()
        assert (len(lists["confirmed"]), len(lists["waiting"])) == (seated, len(people[plan.edition_id]) - seated)
    confirmed = await mailbox.wait_for(3, "registration_confirmed")
    waiting = await mailbox.wait_for(2, "registration_waitlisted")
    by_recipient = {m.recipient: m for m in confirmed}
    assert "Arhitektuurikatel" in by_recipient[stack.email(0)].text() and "11:00" in by_recipient[stack.email(0)].text()
    assert "Loodusmaja" in by_recipient[stack.email(3)].text()
    assert all(m.language == "et" for m in confirmed + waiting)
    assert "20270205T" in by_recipient[stack.email(0)].calendar()
