"""An organiser signs in, publishes an edition (seeing each problem at its field), runs it and reads the results."""

import io
import re
import time

import jwt
from openpyxl import load_workbook  # type: ignore[import-untyped]

from koos_gateway.adapters.tokens import JwtTokens, StaffTokenRules
from koos_gateway.domain.access import Caller
from tests.tokens import VERIFIER
from tests.unit.web.conftest import JWT_SECRET, Site
from tests.unit.web.fake_gateway import EDITION, person

EDITION_FORM = {
    "title_nb": "Tjenestedesign – 8. kull", "title_en": "Service design – 8th edition", "timezone": "Europe/Oslo",
    "starts_on": "2027-05-23", "ends_on": "2027-06-06", "capacity": "30",
    "registration_opens_at": "2027-04-01T08:00", "registration_closes_at": "2027-05-20T16:00",
    "venue_name": "Rådhuset", "venue_address": "Rådhusplassen 1", "venue_city": "Oslo",
    "s0_date": "2027-05-23", "s0_start": "09:00", "s0_end": "12:00",
    "session_rows": "3", "question_rows": "2", "action": "publish",
}


async def signed_in(site: Site, role: str = "organiser") -> None:
    csrf = await site.csrf("/staff/sign-in")
    answer = await site.browser.post("/staff/sign-in/development", data={
        "csrf": csrf, "name": "Kari Nordmann", "organisation": "oslo-kommune", "role": role, "next": "/staff"})
    assert answer.status_code == 303


async def test_staff_pages_ask_to_sign_in_first(site: Site) -> None:
    answer = await site.browser.get(f"/staff/editions/{EDITION}/roster")

    assert answer.status_code == 303
    assert answer.headers["location"] == f"/staff/sign-in?next=/staff/editions/{EDITION}/roster"


async def test_the_development_login_mints_a_staff_token_the_gateway_understands(site: Site) -> None:
    await signed_in(site)
    await site.browser.get("/staff/editions")

    (call,) = site.gateway.sent("GET", "/v1/editions")
    token = call.headers["authorization"].removeprefix("Bearer ")
    claims = jwt.decode(token, JWT_SECRET, algorithms=["HS256"], issuer="koos", audience="koos-gateway")
    assert JwtTokens(StaffTokenRules(JWT_SECRET), VERIFIER).caller(token) == Caller.staff(
        "oslo-kommune", "kari-nordmann", "organiser")
    assert claims["exp"] > time.time() + 3600


async def test_an_invalid_field_is_shown_at_that_field_and_the_rest_is_kept(site: Site) -> None:
    await signed_in(site)
    csrf = await site.csrf("/staff/editions/new?lang=en")

    answer = await site.browser.post("/staff/editions", data={**EDITION_FORM, "capacity": "0", "csrf": csrf})

    assert answer.status_code == 422
    error = re.search(r'id="capacity-error">(.*?)</p>', answer.text, re.S)
    assert error is not None and "Enter a number of at least 1." in error.group(1)
    assert 'href="#capacity"' in answer.text and 'value="Tjenestedesign – 8. kull"' in answer.text
    (sent,) = site.gateway.sent("POST", "/v1/editions")
    body = site.gateway.body(sent)
    assert body["registration_opens_at"] == "2027-04-01T08:00:00+02:00"
    assert body["sessions"] == [{"session_id": "s1", "date": "2027-05-23", "start": "09:00", "end": "12:00",
                                 "venue": {"name": "Rådhuset", "address": "Rådhusplassen 1", "city": "Oslo"}}]


async def test_a_schedulings_refusal_is_shown_at_the_session_it_names(site: Site) -> None:
    from tests.unit.web.fake_gateway import error

    await signed_in(site)
    site.gateway.answers[("POST", "/v1/editions")] = lambda request: error(
        422, "edition_refused", "session s1 on 2027-07-01 is outside the programme dates 2027-05-23 to 2027-06-06")
    csrf = await site.csrf("/staff/editions/new?lang=nb")

    answer = await site.browser.post("/staff/editions", data={**EDITION_FORM, "s0_date": "2027-07-01",
                                                              "csrf": csrf})

    error_text = re.search(r'id="s0_date-error">(.*?)</p>', answer.text, re.S)
    assert answer.status_code == 422 and error_text is not None
    assert "utenfor" in error_text.group(1)


async def test_a_valid_edition_is_published_and_shown(site: Site) -> None:
    await signed_in(site)
    csrf = await site.csrf("/staff/editions/new?lang=en")
    edition_id = re.search(r'name="edition_id" value="([^"]+)"', (await site.browser.get("/staff/editions/new")).text)

    answer = await site.browser.post("/staff/editions", data={**EDITION_FORM, "csrf": csrf,
                                                              "edition_id": edition_id.group(1)})
    shown = await site.browser.get(answer.headers["location"])

    assert answer.status_code == 303 and answer.headers["location"] == f"/staff/editions/{edition_id.group(1)}"
    assert "The edition is published." in shown.text and "Service design – 8th edition" in shown.text


async def test_adding_a_session_row_keeps_what_was_typed(site: Site) -> None:
    await signed_in(site)
    csrf = await site.csrf("/staff/editions/new")

    answer = await site.browser.post("/staff/editions", data={**EDITION_FORM, "action": "add_session",
                                                              "csrf": csrf})

    assert 'id="s3_date"' in answer.text and 'value="Tjenestedesign – 8. kull"' in answer.text
    assert site.gateway.sent("POST", "/v1/editions") == []


async def test_marking_the_last_session_held_asks_the_gateway_and_can_close_the_course(site: Site) -> None:
    await signed_in(site)
    csrf = await site.csrf(f"/staff/editions/{EDITION}")

    answer = await site.browser.post(f"/staff/editions/{EDITION}/sessions/s3/held",
                                     data={"csrf": csrf, "closes_edition": "yes"})

    (sent,) = site.gateway.sent("POST", rf"/v1/editions/{EDITION}/sessions/s3/held")
    assert answer.status_code == 303 and site.gateway.body(sent) == {"closes_edition": True}


async def test_the_roster_lists_everyone_with_their_last_mail_and_refreshes_itself(site: Site) -> None:
    await signed_in(site)
    doubt = {"notification_id": "n1", "kind": "registration_confirmed", "state": "in_doubt",
             "at": "2027-05-01T10:00:00Z", "attempts": 2, "reason": None}
    site.gateway.roster = {"confirmed": [person(1, "confirmed", mails=[doubt])], "waiting": [person(2, "waiting", 1)],
                           "cancelled": [person(3, "cancelled")]}

    page = await site.browser.get(f"/staff/editions/{EDITION}/roster?lang=en")
    live = await site.browser.get(f"/staff/editions/{EDITION}/roster/live")

    assert "1 of 30 seats taken, 1 waiting, 1 cancelled." in page.text
    assert "Confirmation: in doubt (may have arrived twice)" in page.text
    assert f'data-refresh="/staff/editions/{EDITION}/roster/live"' in page.text
    assert "<html" not in live.text and "Åse Ødegård 2" in live.text


async def test_a_trainer_sees_the_edition_and_its_people_but_no_organiser_controls(site: Site) -> None:
    site.gateway.roster = {"confirmed": [person(1, "confirmed")], "waiting": [person(2, "waiting", 1)],
                           "cancelled": []}
    await signed_in(site, role="trainer")
    trainer = [await site.browser.get(f"/staff/{path}?lang=en")
               for path in ("editions", f"editions/{EDITION}", f"editions/{EDITION}/roster")]
    await signed_in(site, role="organiser")
    organiser = [await site.browser.get(f"/staff/{path}?lang=en")
                 for path in ("editions", f"editions/{EDITION}", f"editions/{EDITION}/roster")]

    controls = ("Publish a new edition", "Move the session", "Cancel the session", "Mark session s1 held",
                "Cancel for Åse Ødegård 1")
    assert all(page.status_code == 200 for page in trainer + organiser)
    assert "Åse Ødegård 2" in trainer[2].text and "Session s1" in trainer[1].text
    assert [c for c in controls if any(c in page.text for page in trainer)] == []
    assert [c for c in controls if any(c in page.text for page in organiser)] == list(controls)


async def test_cancelling_for_someone_sends_the_cancellation_as_the_organiser(site: Site) -> None:
    await signed_in(site)
    site.gateway.registrations[str(person(1, "confirmed")["registration_id"])] = {"status": "confirmed"}
    registration_id = person(1, "confirmed")["registration_id"]
    csrf = await site.csrf(f"/staff/editions/{EDITION}/roster")

    answer = await site.browser.post(f"/staff/editions/{EDITION}/people/{registration_id}/cancel",
                                     data={"csrf": csrf, "name": "Åse"})

    assert answer.status_code == 303
    (sent,) = site.gateway.sent("DELETE", rf"/v1/registrations/{registration_id}")
    assert sent.headers["authorization"].startswith("Bearer ey")


async def test_results_show_the_rate_a_chart_per_question_the_mean_and_the_quotes(site: Site) -> None:
    await signed_in(site)
    site.gateway.results = {"edition_id": EDITION, "invited": 5, "responses": 4, "response_rate": 0.8,
                            "questions": [{"key": "overall", "responses": 4, "mean": 4.25,
                                           "distribution": {"1": 0, "2": 0, "3": 1, "4": 1, "5": 2}}],
                            "quotes": ["Working across units was the best part."], "updated_at": "2027-06-07T10:00:00Z"}

    page = await site.browser.get(f"/staff/editions/{EDITION}/results?lang=en")

    assert "4 of 5 participants answered (80%)." in page.text and "Mean 4.2 from 4 answers." in page.text
    bars = dict(re.findall(r'data-rating="(\d)" data-count="(\d+)"', page.text))
    assert bars == {"1": "0", "2": "0", "3": "1", "4": "1", "5": "2"}
    assert 'role="img"' in page.text and "How useful?" in page.text
    assert "Working across units was the best part." in page.text


async def test_the_roster_and_the_results_export_as_csv_and_xlsx(site: Site) -> None:
    await signed_in(site)
    site.gateway.roster = {"confirmed": [person(1, "confirmed")], "waiting": [person(2, "waiting", 1)], "cancelled": []}
    site.gateway.results = {"edition_id": EDITION, "invited": 2, "responses": 1, "response_rate": 0.5,
                            "questions": [{"key": "overall", "responses": 1, "mean": 5.0,
                                           "distribution": {"5": 1}}], "quotes": ["Bra!"], "updated_at": "x"}

    roster_csv = await site.browser.get(f"/staff/editions/{EDITION}/roster.csv?lang=en")
    roster_xlsx = await site.browser.get(f"/staff/editions/{EDITION}/roster.xlsx")
    results_xlsx = await site.browser.get(f"/staff/editions/{EDITION}/results.xlsx")

    lines = roster_csv.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Status,Place in line,Name,E-mail")
    assert lines[1].startswith("confirmed,,Åse Ødegård 1,ase1@kommune.example") and lines[2].startswith("waiting,1,")
    sheet = load_workbook(io.BytesIO(roster_xlsx.content)).active
    assert [c.value for c in sheet[2]][2] == "Åse Ødegård 1"
    workbook = load_workbook(io.BytesIO(results_xlsx.content))
    assert workbook.sheetnames == ["Response rate", "Results", "Quotes"]
    assert [c.value for c in workbook["Results"][2]][:4] == ["overall", "How useful?", 1, 5.0]


async def test_the_survey_preview_shows_the_questions_without_a_send_button(site: Site) -> None:
    await signed_in(site)

    page = await site.browser.get(f"/staff/editions/{EDITION}/survey?lang=en")

    assert "This is a preview" in page.text and "How useful?" in page.text
    assert "Send my answers" not in page.text and page.text.count('type="radio"') == 10
