"""Participants in a real browser (Debian's Chromium): sign up, follow the mailed link, see the place in line,
leave the line with the button, get promoted, ask for the link again; axe-core checks every page (issue 12)."""

import asyncio
import re

import pytest

from tests.builders import open_course
from tests.fixtures.browser import Browsing, Visitor
from tests.fixtures.mail import Mail
from tests.fixtures.web import WebStack

pytestmark = pytest.mark.e2e

SEATS = 2


def link(mail: Mail, path: str) -> str:
    """The address of the page `path` (e.g. `/r/`) in a mail's text."""
    found = re.search(rf"(https?://\S+{re.escape(path)}\S*)", mail.text())
    assert found, mail.text()
    return found.group(1)


async def sign_up(visitor: Visitor, web: WebStack, edition_id: str, n: int, language: str) -> None:
    await visitor.goto(f"{web.web}/e/{edition_id}", "edition page")
    await visitor.page.fill("#name", f"Deltaker {n} Ødegård")
    await visitor.page.fill("#email", web.stack.email(n))
    await visitor.page.select_option("#language", language)
    await visitor.page.check("#consent")
    await visitor.click("form[action$='/sign-up'] button[type=submit]", "decision")


async def test_a_participant_waits_in_line_leaves_it_and_the_next_one_is_promoted(
        web_stack: WebStack, browsing: Browsing) -> None:
    plan = open_course(capacity=SEATS)
    published = await web_stack.gateway.post("/v1/editions", json=plan.model_dump(mode="json"),
                                             headers=web_stack.stack.staff())
    assert published.status_code == 201, published.text
    edition_id = str(plan.edition_id)
    for n in range(SEATS):
        seated = await web_stack.gateway.post(f"/v1/public/editions/{edition_id}/registrations", params={"wait": 10},
                                              json={"email": web_stack.stack.email(n), "name": f"Sitter {n}"})
        assert seated.json()["status"] == "confirmed", seated.text

    ase = await browsing.visitor("ase", locale="nb-NO")
    await ase.goto(f"{web_stack.web}/e/{edition_id}", "full course")
    assert "Kurset er fullt" in await ase.page.text_content("#seats")
    await ase.page.fill("#name", "Åse Ødegård")
    await ase.page.fill("#email", "not-an-address")
    await ase.click("form[action$='/sign-up'] button[type=submit]", "no consent")
    assert "samtykke" in await ase.page.text_content("#consent-error")
    await ase.page.check("#consent")
    await ase.click("form[action$='/sign-up'] button[type=submit]", "invalid address")
    assert "gyldig e-postadresse" in await ase.page.text_content("#email-error")
    assert await ase.page.get_attribute("#email", "aria-invalid") == "true"
    await ase.page.fill("#email", web_stack.stack.email(10))
    await ase.click("form[action$='/sign-up'] button[type=submit]", "decision")
    await ase.page.wait_for_selector("#decision [data-final]")
    assert "nummer 1 i køen" in await ase.page.text_content("#decision")

    paivi = await browsing.visitor("paivi", locale="en-GB")
    await sign_up(paivi, web_stack, edition_id, 11, "fi")
    await paivi.page.wait_for_selector("#decision [data-final]")
    assert "number 2 in line" in await paivi.page.text_content("#decision")

    mailed = link(await mail_to(web_stack, "registration_waitlisted", 10), "/r/")
    assert "&lang=nb" in mailed
    await ase.goto(mailed, "my registration from the mail")
    assert "token=" not in ase.page.url, "the token leaves the address bar"
    assert "Du er nummer 1 i køen" in await ase.page.text_content("#status")
    calendar = await ase.page.get_attribute("a[download]", "href")
    answer = await ase.page.request.get(f"{web_stack.web}{calendar}")
    assert answer.ok and "BEGIN:VCALENDAR" in await answer.text()
    ase.page.on("dialog", lambda dialog: dialog.accept())
    await ase.click("form[action$='/cancel'] button[type=submit]", "leaving the line")
    await ase.page.wait_for_selector("#status [data-status=cancelled]", timeout=60_000)
    await ase.seen("left the line")

    paivi_mail = await mail_to(web_stack, "registration_waitlisted", 11)
    await paivi.goto(link(paivi_mail, "/r/"), "my registration in Finnish")
    assert await paivi.page.get_attribute("html", "lang") == "fi"
    await _until_text(paivi, "#status", "Olet jonossa 1")

    cancelled = await web_stack.gateway.delete(f"/v1/registrations/{seated.json()['registration_id']}",
                                               headers=web_stack.stack.staff())
    assert cancelled.status_code == 202
    await _until_text(paivi, "#status", "Sinulla on paikka")
    await paivi.seen("promoted")
    promotion = await mail_to(web_stack, "registration_promoted", 11)
    await paivi.goto(link(promotion, "/r/"), "promotion link")
    assert "Sinulla on paikka" in await paivi.page.text_content("#status")


async def test_a_participant_who_lost_the_mail_asks_for_the_link_again(web_stack: WebStack,
                                                                       browsing: Browsing) -> None:
    plan = open_course(capacity=5)
    await web_stack.gateway.post("/v1/editions", json=plan.model_dump(mode="json"), headers=web_stack.stack.staff())
    edition_id = str(plan.edition_id)
    jyri = await browsing.visitor("jyri", locale="et-EE")
    await sign_up(jyri, web_stack, edition_id, 20, "et")
    await jyri.page.wait_for_selector("#decision [data-final]")
    assert "Sul on koht" in await jyri.page.text_content("#decision")
    await web_stack.mailbox.wait_for(1, "registration_confirmed")

    await jyri.goto(f"{web_stack.web}/e/{edition_id}/links", "ask for the link")
    await jyri.page.fill("#email", web_stack.stack.email(20))
    await jyri.click("form button[type=submit]", "link asked for")
    known = await jyri.page.text_content("main")
    await jyri.goto(f"{web_stack.web}/e/{edition_id}/links", "ask for a stranger's link")
    await jyri.page.fill("#email", web_stack.stack.email(21))
    await jyri.click("form button[type=submit]", "stranger's link asked for")
    assert known == await jyri.page.text_content("main"), "the answer tells nothing about the address"

    (again,) = await web_stack.mailbox.wait_for(1, "links_resent")
    assert again.recipient == web_stack.stack.email(20) and again.language == "et"
    await jyri.goto(link(again, "/r/"), "my registration from the new link")
    assert "Sul on koht" in await jyri.page.text_content("#status")
    assert [m.key for m in web_stack.mailbox.mails("links_resent")] == [again.key], "a stranger's address got none"


async def mail_to(web: WebStack, kind: str, n: int, timeout: float = 120) -> Mail:
    """The mail of a kind to the n-th address of the test, once it is in the dev mailbox."""
    for _ in range(int(timeout * 2)):
        found = [m for m in web.mailbox.mails(kind) if m.recipient == web.stack.email(n)]
        if found:
            return found[0]
        await asyncio.sleep(0.5)
    raise AssertionError(f"no {kind} mail to {web.stack.email(n)} in {timeout:.0f} s")


async def _until_text(visitor: Visitor, selector: str, text: str, tries: int = 60) -> None:
    for _ in range(tries):
        if text in (await visitor.page.text_content(selector) or ""):
            return
        await visitor.page.wait_for_timeout(1000)
        await visitor.page.reload()
    raise AssertionError(f"{text!r} never appeared in {selector}: {await visitor.page.text_content(selector)}")
