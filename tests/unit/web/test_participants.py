"""A participant signs up, follows the decision, opens their registration from the mail, cancels, answers the survey."""

import re

from koos_web.participants import CONSENT_WORDING_VERSION
from tests.unit.web.conftest import Site
from tests.unit.web.fake_gateway import EDITION, PARTICIPANT_TOKEN

REGISTRATION = "7b0e9b3c-5d2a-4f7e-8c1b-2a3d4e5f6a7b"
PERSON = {"name": "Åse Ødegård", "email": "ase@kommune.example", "language": "nb"}


async def test_the_edition_page_shows_sessions_in_the_editions_time_and_the_seats_left(site: Site) -> None:
    page = await site.browser.get(f"/e/{EDITION}", headers={"Accept-Language": "nb-NO,nb;q=0.9,en;q=0.5"})

    assert page.status_code == 200 and '<html lang="nb">' in page.text
    assert "Introduksjon til tjenestedesign" in page.text
    assert "søndag 23. mai 2027" in page.text.lower() and "09:00–12:00" in page.text
    assert "Rådhuset, møterom 3" in page.text and "12" in re.search(r'id="seats">(.*?)</p>', page.text, re.S).group(1)


async def test_a_full_course_offers_the_waiting_list_and_tells_how_long_it_is(site: Site) -> None:
    site.gateway.editions[EDITION].update(seats_left=0, waiting=7)

    page = await site.browser.get(f"/e/{EDITION}?lang=en")

    assert "7 people are waiting in line" in page.text and "Join the waiting list" in page.text


async def test_signing_up_without_consent_is_refused_at_the_field_and_nothing_is_sent(site: Site) -> None:
    csrf = await site.csrf(f"/e/{EDITION}?lang=en")

    answer = await site.browser.post(f"/e/{EDITION}/sign-up", data={**PERSON, "csrf": csrf})

    assert answer.status_code == 422
    assert 'id="consent-error"' in answer.text and 'aria-invalid="true"' in answer.text
    assert 'href="#consent"' in answer.text and site.gateway.sent("POST", r".*/registrations") == []


async def test_the_gateways_field_error_is_shown_at_its_field_in_the_readers_language(site: Site) -> None:
    csrf = await site.csrf(f"/e/{EDITION}?lang=fi")

    answer = await site.browser.post(f"/e/{EDITION}/sign-up",
                                     data={**PERSON, "email": "ase.kommune.example", "consent": "yes", "csrf": csrf})

    error = re.search(r'id="email-error">(.*?)</p>', answer.text, re.S)
    assert answer.status_code == 422 and error is not None
    assert "Anna kelvollinen sähköpostiosoite" in error.group(1)
    assert 'value="ase.kommune.example"' in answer.text


async def test_a_sign_up_leads_to_the_page_that_shows_the_decision_as_it_arrives(site: Site) -> None:
    csrf = await site.csrf(f"/e/{EDITION}?lang=en")

    answer = await site.browser.post(f"/e/{EDITION}/sign-up", data={**PERSON, "consent": "yes", "csrf": csrf})
    (sent,) = site.gateway.sent("POST", rf"/v1/public/editions/{EDITION}/registrations")
    decision_page = answer.headers["location"]
    command_id = decision_page.rsplit("/", 1)[1]
    pending = await site.browser.get(decision_page)
    site.gateway.decisions[command_id] = {"status": "waiting", "waiting_position": 3, "edition_id": EDITION,
                                          "registration_id": REGISTRATION, "reason": None, "reason_code": None}
    decided = await site.browser.get(f"{decision_page}/status")

    assert answer.status_code == 303 and sent.url.params["wait"] == "5.0"
    assert sent.headers["x-forwarded-for"], "the gateway's rate limit keys on the visitor, not on the web"
    assert site.gateway.body(sent) == {**PERSON, "consent": {"purposes": ["course"],
                                                             "wording_version": CONSENT_WORDING_VERSION}}
    assert "data-refresh" in pending.text and "handling your sign-up" in pending.text
    assert "you are number 3 in line" in decided.text and "data-final" in decided.text


async def test_hearing_of_the_next_editions_is_an_optional_consent_sent_with_the_sign_up(site: Site) -> None:
    page = await site.browser.get(f"/e/{EDITION}?lang=et")
    csrf = await site.csrf(f"/e/{EDITION}?lang=et")

    await site.browser.post(f"/e/{EDITION}/sign-up", data={**PERSON, "consent": "yes", "next_editions": "yes",
                                                           "csrf": csrf})

    assert 'name="next_editions"' in page.text and "Valikuline: andke mulle e-posti teel teada" in page.text
    (sent,) = site.gateway.sent("POST", rf"/v1/public/editions/{EDITION}/registrations")
    assert site.gateway.body(sent)["consent"] == {"purposes": ["course", "next_editions"],
                                                  "wording_version": CONSENT_WORDING_VERSION}


async def test_a_sign_up_with_an_address_registered_already_says_the_links_went_to_that_address(
        site: Site) -> None:
    csrf = await site.csrf(f"/e/{EDITION}?lang=fi")
    answer = await site.browser.post(f"/e/{EDITION}/sign-up", data={**PERSON, "consent": "yes", "csrf": csrf})
    command_id = answer.headers["location"].rsplit("/", 1)[1]
    site.gateway.decisions[command_id] = {"status": "mailed", "waiting_position": None, "edition_id": None,
                                          "registration_id": None, "reason": None, "reason_code": None}

    decided = await site.browser.get(f"{answer.headers['location']}/status?lang=fi")

    assert "Tällä osoitteella oli jo ilmoittauduttu." in decided.text and "data-final" in decided.text
    assert "jonossa" not in decided.text


async def test_a_form_without_this_browsers_csrf_token_is_refused(site: Site) -> None:
    await site.csrf(f"/e/{EDITION}")

    forged = await site.browser.post(f"/e/{EDITION}/sign-up", data={**PERSON, "consent": "yes", "csrf": "guess"})
    foreign = await site.browser.post(f"/e/{EDITION}/sign-up", data={**PERSON, "consent": "yes",
                                                                      "csrf": await site.csrf(f"/e/{EDITION}")},
                                      headers={"Origin": "https://evil.example"})

    assert forged.status_code == foreign.status_code == 403
    assert site.gateway.sent("POST", r".*/registrations") == []


async def test_asking_for_the_link_again_answers_the_same_for_any_address(site: Site) -> None:
    csrf = await site.csrf(f"/e/{EDITION}/links?lang=en")

    known = await site.browser.post(f"/e/{EDITION}/links", data={"email": PERSON["email"], "csrf": csrf})
    unknown = await site.browser.post(f"/e/{EDITION}/links", data={"email": "nobody@kommune.example", "csrf": csrf})

    assert known.status_code == unknown.status_code == 200
    assert "If this address is signed up" in known.text
    assert known.text.replace(PERSON["email"], "X") == unknown.text.replace("nobody@kommune.example", "X")
    assert [site.gateway.body(r)["email"] for r in site.gateway.sent("POST", r".*/links")] == [
        PERSON["email"], "nobody@kommune.example"]


def waiting_registration(site: Site, position: int = 2) -> None:
    site.gateway.registrations[REGISTRATION] = {"registration_id": REGISTRATION, "edition_id": EDITION,
                                                "status": "waiting", "waiting_position": position, "reason": None,
                                                "links": {}}


async def test_the_mailed_token_is_exchanged_for_a_cookie_and_leaves_the_address(site: Site) -> None:
    waiting_registration(site)

    first = await site.browser.get(f"/r/{REGISTRATION}?token={PARTICIPANT_TOKEN}&lang=nb")
    cookie = first.headers["set-cookie"]
    page = await site.browser.get(first.headers["location"])

    assert first.status_code == 303 and first.headers["location"] == f"/r/{REGISTRATION}"
    assert "httponly" in cookie.lower() and "samesite=lax" in cookie.lower() and PARTICIPANT_TOKEN not in cookie
    assert page.status_code == 200 and '<html lang="nb">' in page.text
    assert "Du er nummer 2 i køen" in page.text and "Forlat ventelisten" in page.text
    gateway_call = site.gateway.sent("GET", rf"/v1/registrations/{REGISTRATION}")[-1]
    assert gateway_call.headers["authorization"] == f"Bearer {PARTICIPANT_TOKEN}"


async def test_without_the_mailed_link_the_registration_stays_private(site: Site) -> None:
    waiting_registration(site)

    page = await site.browser.get(f"/r/{REGISTRATION}?lang=en")

    assert page.status_code == 401 and "Open this page from your e-mail" in page.text
    assert site.gateway.sent("GET", r"/v1/registrations/.*") == []


async def test_leaving_the_line_is_one_button_and_the_page_follows_the_outcome(site: Site) -> None:
    waiting_registration(site)
    await site.browser.get(f"/r/{REGISTRATION}?token={PARTICIPANT_TOKEN}&lang=en")
    csrf = await site.csrf(f"/r/{REGISTRATION}")

    answer = await site.browser.post(f"/r/{REGISTRATION}/cancel", data={"csrf": csrf})
    following = await site.browser.get(answer.headers["location"])
    site.gateway.registrations[REGISTRATION].update(status="cancelled", waiting_position=None)
    status = await site.browser.get(f"/r/{REGISTRATION}/status")

    assert answer.status_code == 303 and len(site.gateway.sent("DELETE", rf"/v1/registrations/{REGISTRATION}")) == 1
    assert "Your cancellation is on its way" in following.text and "data-refresh" in following.text
    assert "Your registration is cancelled" in status.text


async def test_a_participant_stops_hearing_of_next_editions_from_their_registration_page(site: Site) -> None:
    waiting_registration(site)
    await site.browser.get(f"/r/{REGISTRATION}?token={PARTICIPANT_TOKEN}&lang=fi")
    csrf = await site.csrf(f"/r/{REGISTRATION}")

    answer = await site.browser.post(f"/r/{REGISTRATION}/consent/withdraw", data={"csrf": csrf})
    page = await site.browser.get(answer.headers["location"])

    (sent,) = site.gateway.sent("POST", rf"/v1/registrations/{REGISTRATION}/consent/withdrawals")
    assert site.gateway.body(sent) == {"purposes": ["next_editions"]}
    assert sent.headers["authorization"] == f"Bearer {PARTICIPANT_TOKEN}"
    assert "Sinulle ei enää kerrota seuraavista toteutuksista." in page.text
    assert site.gateway.sent("DELETE", rf"/v1/registrations/{REGISTRATION}") == []


async def test_the_calendar_comes_through_the_web_for_download_and_subscription(site: Site) -> None:
    waiting_registration(site)
    await site.browser.get(f"/r/{REGISTRATION}?token={PARTICIPANT_TOKEN}")
    page = await site.browser.get(f"/r/{REGISTRATION}")

    download = await site.browser.get(f"/r/{REGISTRATION}/calendar.ics")
    feed = await site.browser.get(f"/me/calendar.ics?token={PARTICIPANT_TOKEN}")
    stranger = await site.browser.get("/me/calendar.ics?token=forged")

    assert "BEGIN:VCALENDAR" in download.text and download.headers["content-disposition"].startswith("attachment")
    assert feed.status_code == 200 and stranger.status_code == 401
    assert f"webcal://web.test/me/calendar.ics?token={PARTICIPANT_TOKEN}" in page.text


async def test_the_survey_asks_every_question_and_thanks_once_answered(site: Site) -> None:
    site.gateway.survey_open = True
    await site.browser.get(f"/f/{EDITION}?token={PARTICIPANT_TOKEN}&lang=en")
    csrf = await site.csrf(f"/f/{EDITION}")

    missing = await site.browser.post(f"/f/{EDITION}", data={"csrf": csrf, "q_overall": "5"})
    answered = await site.browser.post(f"/f/{EDITION}", data={"csrf": csrf, "q_overall": "5", "q_methods": "4",
                                                              "comment": "Working across units was the best part."})

    assert missing.status_code == 422 and 'id="q_methods-error"' in missing.text
    assert answered.status_code == 200 and "Thank you for your feedback" in answered.text
    (sent,) = site.gateway.sent("POST", rf"/v1/editions/{EDITION}/feedback")
    assert site.gateway.body(sent) == {"ratings": {"overall": 5, "methods": 4},
                                       "comment": "Working across units was the best part."}


async def test_every_page_is_offered_in_four_languages_and_the_choice_is_kept(site: Site) -> None:
    chosen = await site.browser.get(f"/e/{EDITION}?lang=et")
    later = await site.browser.get(f"/e/{EDITION}", headers={"Accept-Language": "fi"})

    assert '<html lang="et">' in chosen.text and '<html lang="et">' in later.text
    for code in ("et", "fi", "nb", "en"):
        assert f'hreflang="{code}"' in chosen.text
