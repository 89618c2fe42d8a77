"""A participant gets a copy of their data from their registration page; an organiser exports or erases a person
from the person's page. Each follows the request on a page that shows the parts as they answer."""

import json
from typing import Any

from tests.unit.web.conftest import Site
from tests.unit.web.fake_gateway import EDITION, PARTICIPANT_TOKEN, person
from tests.unit.web.test_organisers import signed_in
from tests.unit.web.test_participants import REGISTRATION, waiting_registration

EXPORTED: dict[str, Any] = {
    "registration": {"registrations": [{"edition_id": EDITION, "status": "waiting", "participant": {
        "name": "Åse Ødegård", "email": "ase@kommune.example", "language": "nb"}}]},
    "notifications": {"mails": [{"kind": "registration_waitlisted", "state": "delivered"}]},
    "evaluation": {}, "gateway": {"audit": []},
}


def answered(site: Site, request_id: str, missing: list[str] | None = None, status: str = "complete") -> None:
    request = site.gateway.privacy[request_id]
    if request["kind"] == "export":
        request.update(document={k: v for k, v in EXPORTED.items() if k not in (missing or [])})
    else:
        request.update(confirmations={"registration": {"registrations": 2}, "notifications": {"mails": 3}})
    request.update(status=status, missing=missing or [],
                   answered=sorted(set(request["missing"]) - set(missing or [])))


async def test_a_participant_asks_for_a_copy_and_the_page_shows_it_once_every_part_answered(site: Site) -> None:
    waiting_registration(site)
    await site.browser.get(f"/r/{REGISTRATION}?token={PARTICIPANT_TOKEN}&lang=en")
    mine = await site.browser.get(f"/r/{REGISTRATION}")
    csrf = await site.csrf(f"/r/{REGISTRATION}")

    asked = await site.browser.post(f"/r/{REGISTRATION}/my-data", data={"csrf": csrf})
    following = await site.browser.get(asked.headers["location"])
    (request_id,) = site.gateway.privacy
    answered(site, request_id)
    status = await site.browser.get(f"{asked.headers['location']}/status")
    download = await site.browser.get(f"{asked.headers['location']}.json")

    assert "Get a copy of my data" in mine.text
    (sent,) = site.gateway.sent("POST", "/v1/me/exports")
    assert sent.headers["authorization"] == f"Bearer {PARTICIPANT_TOKEN}"
    assert asked.status_code == 303 and asked.headers["location"] == f"/r/{REGISTRATION}/my-data/{request_id}"
    assert "data-refresh" in following.text and "gathering the data" in following.text
    assert "data-final" in status.text and "Your data is ready." in status.text
    assert "ase@kommune.example" in status.text and "registration_waitlisted" in status.text
    assert [h for h in ("Registrations", "Mails", "Feedback") if f">{h}</h2>" in status.text] == [
        "Registrations", "Mails", "Feedback"]
    assert download.headers["content-disposition"] == f'attachment; filename="koos-data-{request_id}.json"'
    assert download.headers["cache-control"] == "private, no-store"
    assert json.loads(download.text)["document"] == EXPORTED


async def test_the_link_of_the_ready_mail_opens_the_copy_in_a_browser_that_never_saw_the_registration(
        site: Site) -> None:
    waiting_registration(site)
    await site.browser.get(f"/r/{REGISTRATION}?token={PARTICIPANT_TOKEN}&lang=en")
    asked = await site.browser.post(f"/r/{REGISTRATION}/my-data", data={"csrf": await site.csrf(f"/r/{REGISTRATION}")})
    (request_id,) = site.gateway.privacy
    answered(site, request_id)
    site.browser.cookies.clear()  # the mail is opened elsewhere, later

    mailed = await site.browser.get(f"{asked.headers['location']}?token={PARTICIPANT_TOKEN}&lang=en")
    copy = await site.browser.get(mailed.headers["location"])

    assert mailed.status_code == 303 and mailed.headers["location"].endswith(f"/r/{REGISTRATION}/my-data/{request_id}")
    assert "token" not in mailed.headers["location"], "the address bar loses the token"
    assert copy.status_code == 200 and "Your data is ready." in copy.text and "ase@kommune.example" in copy.text


async def test_a_copy_that_missed_a_part_says_which_in_the_readers_language(site: Site) -> None:
    waiting_registration(site)
    await site.browser.get(f"/r/{REGISTRATION}?token={PARTICIPANT_TOKEN}&lang=fi")
    csrf = await site.csrf(f"/r/{REGISTRATION}")
    asked = await site.browser.post(f"/r/{REGISTRATION}/my-data", data={"csrf": csrf})
    (request_id,) = site.gateway.privacy
    answered(site, request_id, missing=["notifications"], status="incomplete")

    page = await site.browser.get(asked.headers["location"])

    assert "Jotkin Koosin osat eivät vastanneet ajoissa: Viestit." in page.text and "data-final" in page.text
    assert "Tietosi ovat valmiina." in page.text and ">Ilmoittautumiset</h2>" in page.text
    assert ">Viestit</h2>" not in page.text


async def test_without_the_mailed_link_no_copy_is_asked_for_or_shown(site: Site) -> None:
    waiting_registration(site)
    csrf = await site.csrf("/staff/sign-in")

    asked = await site.browser.post(f"/r/{REGISTRATION}/my-data", data={"csrf": csrf})
    shown = await site.browser.get(f"/r/{REGISTRATION}/my-data/{REGISTRATION}")
    downloaded = await site.browser.get(f"/r/{REGISTRATION}/my-data/{REGISTRATION}.json")

    assert [asked.status_code, shown.status_code, downloaded.status_code] == [401, 401, 401]
    assert site.gateway.sent("POST", "/v1/me/exports") == []


async def test_an_organiser_exports_a_person_by_the_address_the_roster_holds(site: Site) -> None:
    entry = person(1, "confirmed")
    site.gateway.roster = {"confirmed": [entry], "waiting": [], "cancelled": []}
    await signed_in(site)
    page = await site.browser.get(f"/staff/editions/{EDITION}/people/{entry['registration_id']}?lang=en")
    csrf = await site.csrf(f"/staff/editions/{EDITION}/people/{entry['registration_id']}")

    asked = await site.browser.post(f"/staff/editions/{EDITION}/people/{entry['registration_id']}/export",
                                    data={"csrf": csrf, "email": "someone.else@example.org"})
    (request_id,) = site.gateway.privacy
    answered(site, request_id)
    shown = await site.browser.get(asked.headers["location"])
    download = await site.browser.get(f"/staff/privacy/{request_id}.json")

    assert "Export the person's data" in page.text and "Erase the person" in page.text
    (sent,) = site.gateway.sent("POST", "/v1/people/exports")
    assert site.gateway.body(sent) == {"email": entry["email"]}, "the address is the roster's, not the form's"
    assert sent.headers["authorization"].startswith("Bearer ey")
    assert asked.headers["location"] == f"/staff/privacy/{request_id}"
    assert "The person's data is ready." in shown.text and "ase@kommune.example" in shown.text
    assert json.loads(download.text)["document"]["registration"] == EXPORTED["registration"]


async def test_an_erasure_needs_the_confirmation_and_then_shows_what_each_part_erased(site: Site) -> None:
    entry = person(1, "confirmed")
    site.gateway.roster = {"confirmed": [entry], "waiting": [], "cancelled": []}
    await signed_in(site)
    person_page = f"/staff/editions/{EDITION}/people/{entry['registration_id']}"
    csrf = await site.csrf(person_page)

    unconfirmed = await site.browser.post(f"{person_page}/erase", data={"csrf": csrf})
    told = await site.browser.get(unconfirmed.headers["location"] + "?lang=en")
    confirmed = await site.browser.post(f"{person_page}/erase", data={"csrf": csrf, "confirm": "yes"})
    (request_id,) = site.gateway.privacy
    pending = await site.browser.get(confirmed.headers["location"])
    answered(site, request_id)
    done = await site.browser.get(f"/staff/privacy/{request_id}/status")
    no_download = await site.browser.get(f"/staff/privacy/{request_id}.json")

    assert unconfirmed.headers["location"] == person_page and "Tick the box to confirm" in told.text
    (sent,) = site.gateway.sent("POST", "/v1/people/erasures")
    assert site.gateway.body(sent) == {"email": entry["email"]}
    assert "data-refresh" in pending.text and "erasing the person" in pending.text
    assert "The person's data is erased." in done.text
    assert "registrations: 2" in done.text and "mails: 3" in done.text
    assert no_download.status_code == 404


async def test_a_trainer_is_offered_neither_export_nor_erasure(site: Site) -> None:
    entry = person(1, "confirmed")
    site.gateway.roster = {"confirmed": [entry], "waiting": [], "cancelled": []}
    await signed_in(site, role="trainer")

    page = await site.browser.get(f"/staff/editions/{EDITION}/people/{entry['registration_id']}?lang=en")

    assert page.status_code == 200
    assert "Export the person" not in page.text and "Erase the person" not in page.text
