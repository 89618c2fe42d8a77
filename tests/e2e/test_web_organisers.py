"""An organiser in a real browser (Debian's Chromium): signs in at the identity provider, publishes an edition
(one invalid field first), watches the roster fill during a small rush, cancels for someone, reads a mail log,
marks the last session held, and sees the results chart once participants answered the mailed survey (issue 12)."""

import asyncio
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest

from tests.e2e.test_web_participants import link
from tests.fixtures.browser import Browsing, Visitor
from tests.fixtures.web import WebStack

pytestmark = pytest.mark.e2e

OSLO = ZoneInfo("Europe/Oslo")
SEATS, RUSH = 3, 6
ANSWERS = [(5, 4, "I learned how much the insight phase matters."), (4, 4, "Working across units was the best part."),
           (3, 2, "")]


def course_hours() -> tuple[datetime, datetime]:
    """A session starting soon and ending the same local day (so it can be marked held now)."""
    start = (datetime.now(OSLO) + timedelta(hours=2)).replace(minute=0, second=0, microsecond=0)
    if start.hour >= 22:
        start = (start + timedelta(days=1)).replace(hour=8)
    return start, start + timedelta(hours=1)


async def fill_edition(organiser: Visitor, capacity: str) -> None:
    start, end = course_hours()
    opens = datetime.now(OSLO) - timedelta(hours=1)
    page = organiser.page
    for field, value in {"#title_nb": "Tjenestedesign – prøvekurs", "#title_en": "Service design – trial course",
                         "#description_en": "A short course to try things out.", "#starts_on": start.date().isoformat(),
                         "#ends_on": start.date().isoformat(), "#capacity": capacity,
                         "#registration_opens_at": opens.strftime("%Y-%m-%dT%H:%M"),
                         "#registration_closes_at": start.strftime("%Y-%m-%dT%H:%M"),
                         "#venue_name": "Rådhuset, møterom Nansen", "#venue_address": "Rådhusplassen 1",
                         "#venue_city": "Oslo", "#s0_date": start.date().isoformat(),
                         "#s0_start": start.strftime("%H:%M"), "#s0_end": end.strftime("%H:%M"),
                         "#q0_key": "overall", "#q0_en": "How useful was the course?",
                         "#q0_nb": "Hvor nyttig var kurset?",
                         "#q1_key": "methods", "#q1_en": "How well did the methods work?"}.items():
        await page.fill(field, value)
    await page.select_option("#timezone", "Europe/Oslo")


async def test_an_organiser_runs_a_course_from_publication_to_the_results_chart(
        web_stack: WebStack, browsing: Browsing) -> None:
    organiser = await browsing.visitor("kari", locale="en-GB")
    await organiser.goto(f"{web_stack.web}/staff/editions", "sign-in page")
    async with organiser.page.expect_navigation(url=re.compile(rf"^{web_stack.provider.issuer}/authorize")):
        await organiser.page.click("text=Sign in with your organisation's account")
    await organiser.click("button[value=kari]", "editions after signing in")
    assert "Kari Nordmann" in await organiser.page.text_content("header")

    await organiser.click("text=Publish a new edition", "new edition form")
    await fill_edition(organiser, capacity="0")
    await organiser.click("button[value=publish]", "an invalid field")
    assert "Enter a number of at least 1." in await organiser.page.text_content("#capacity-error")
    assert await organiser.page.get_attribute("#capacity", "aria-invalid") == "true"
    assert await organiser.page.input_value("#title_nb") == "Tjenestedesign – prøvekurs"
    assert await organiser.page.evaluate("document.activeElement.id") == "error-summary"
    await organiser.page.fill("#capacity", str(SEATS))
    await organiser.click("button[value=publish]", "published edition")
    assert "The edition is published." in await organiser.page.text_content("main")
    edition_id = organiser.page.url.rsplit("/", 1)[1]
    public = await organiser.page.get_attribute("a[href*='/e/']", "href")
    assert public == f"{web_stack.web}/e/{edition_id}"

    await organiser.click("text=People", "empty roster")
    async with httpx.AsyncClient(base_url=web_stack.stack.services["gateway"].url, timeout=60) as client:
        rush = await asyncio.gather(*(client.post(
            f"/v1/public/editions/{edition_id}/registrations",
            json={"email": web_stack.stack.email(n), "name": f"Deltaker {n} Sæther", "language": "en"})
            for n in range(RUSH)))
    assert {answer.status_code for answer in rush} <= {201, 202}
    counts = organiser.page.locator("#roster-counts")
    await counts.filter(has_text=f"{SEATS} of {SEATS} seats taken, {RUSH - SEATS} waiting").wait_for(timeout=90_000)
    await organiser.seen("roster filled by the rush")

    first = organiser.page.locator("#confirmed tbody tr").first
    leaving = await first.get_attribute("data-registration")
    await organiser.click(f"#confirmed tr[data-registration='{leaving}'] button", "cancelled for someone")
    await counts.filter(has_text=f"{SEATS} of {SEATS} seats taken, {RUSH - SEATS - 1} waiting, 1 cancelled").wait_for(
        timeout=90_000)
    await organiser.seen("the line moved up")
    promoted = await organiser.page.locator("#confirmed tbody tr").last.get_attribute("data-registration")
    await organiser.goto(f"{web_stack.web}/staff/editions/{edition_id}/people/{promoted}", "a person's mails")
    for _ in range(60):
        if "Promotion" in (await organiser.page.text_content("main") or ""):
            break
        await organiser.page.wait_for_timeout(1000)
        await organiser.page.reload()
    await organiser.seen("mail log with the promotion")
    assert "delivered" in await organiser.page.text_content("#mails")

    export = await organiser.page.request.get(f"{web_stack.web}/staff/editions/{edition_id}/roster.csv")
    assert export.ok and (await export.text()).count("confirmed") == SEATS

    await organiser.goto(f"{web_stack.web}/staff/editions/{edition_id}", "edition before the session")
    await organiser.click("#held-s1", "session marked held")
    assert "The session is marked held." in await organiser.page.text_content("main")
    assert "Held" in await organiser.page.text_content("[data-session-status=s1]")

    requests = await web_stack.mailbox.wait_for(SEATS, "feedback_requested", timeout=180)
    for n, mail in enumerate(sorted(requests, key=lambda m: m.recipient)):
        overall, methods, comment = ANSWERS[n]
        participant = await browsing.visitor(f"participant{n}")
        await participant.goto(link(mail, "/f/"), "survey from the mail")
        assert "token=" not in participant.page.url
        await participant.page.check(f"#q_overall-{overall}")
        await participant.page.check(f"#q_methods-{methods}")
        await participant.page.fill("#comment", comment)
        await participant.click("form button[type=submit]", "answers sent")
        assert "Thank you for your feedback" in await participant.page.text_content("h1")

    await organiser.goto(f"{web_stack.web}/staff/editions/{edition_id}/results", "results")
    for _ in range(60):
        if f"{SEATS} of {SEATS} participants answered" in (await organiser.page.text_content("main") or ""):
            break
        await organiser.page.wait_for_timeout(1000)
        await organiser.page.reload()
    await organiser.seen("results chart")
    bars = {r: int(c) for r, c in re.findall(r'data-rating="(\d)" data-count="(\d+)"',
                                              await organiser.page.inner_html("#q-overall + p + figure"))}
    assert bars == {str(r): sum(1 for a in ANSWERS if a[0] == r) for r in range(1, 6)}
    assert "Mean 4 from 3 answers." in await organiser.page.text_content("main")
    assert "Working across units was the best part." in await organiser.page.text_content("main")
    await organiser.goto(f"{web_stack.web}/staff/editions/{edition_id}/survey", "survey preview")
    assert await organiser.page.locator("input[type=radio]").count() == 10
