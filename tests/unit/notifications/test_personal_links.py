"""Participants get their token only by mail: signed links to the web pages of their registration, calendar and
feedback, in the mail's language."""

import re
from datetime import UTC, datetime, timedelta

import jwt
import pytest

from koos_kit.participant_tokens import public_key
from koos_notifications.domain.mail import OutgoingMail
from tests.tokens import PARTICIPANT_PUBLIC_KEY, VERIFIER
from tests.unit.notifications.course import ORGANISATION, TOKEN_DAYS, Course

BASE = "https://koos.example"


def link(mail: OutgoingMail, path: str, language: str | None = None) -> str:
    """The token of the link to the page `path` in a mail's text; the HTML twin links the same address."""
    tail = f"&lang={language}" if language else ""
    found = re.findall(rf"{re.escape(BASE + path)}\?token=([^&\s]+){re.escape(tail)}(?:\s|$)", mail.content.text)
    (token,) = [str(t) for t in found]
    assert mail.content.html is not None
    assert f'href="{BASE}{path}?token={token}{tail.replace("&", "&amp;")}"' in mail.content.html
    return token


def reader(course: Course, n: int) -> tuple[str, str, str]:
    """Whom a mailed token of person n speaks for: the organisation, the person, their registration."""
    return ORGANISATION, f"person-{n}", str(course.registration_id(n))


def read(token: str) -> tuple[str, str, str]:
    claims = VERIFIER.read(token)
    return claims.organisation_id, claims.person_id, claims.registration_id


@pytest.fixture
def course() -> Course:
    """A course whose clock shows the real time, so that the tokens it mints are valid when read now."""
    course = Course.create()
    course.clock.current = datetime.now(UTC).replace(microsecond=0)
    return course


@pytest.mark.parametrize("language", ["et", "fi", "nb", "en"])
async def test_a_confirmation_links_the_registration_and_calendar_of_that_person(course: Course,
                                                                                  language: str) -> None:
    await course.publish()
    await course.confirm(1, language=language)
    await course.send_due()

    (mail,) = course.mailer.sent
    registration = link(mail, f"/r/{course.registration_id(1)}", language)
    calendar = link(mail, "/me/calendar.ics")
    assert read(registration) == read(calendar) == reader(course, 1)


async def test_waiting_and_promoted_people_get_their_own_links_too(course: Course) -> None:
    await course.publish()
    await course.waitlist(7, position=1, language="fi")
    await course.promote(7, language="fi")
    await course.send_due()

    for mail in course.mailer.sent:
        token = link(mail, f"/r/{course.registration_id(7)}", "fi")
        assert read(token) == read(link(mail, "/me/calendar.ics")) == reader(course, 7)


async def test_the_feedback_request_links_the_survey_for_that_person(course: Course) -> None:
    await course.publish()
    await course.confirm(2, language="nb")
    await course.open_survey()
    await course.send_due()

    request = course.mailer.sent[-1]
    token = link(request, f"/f/{course.edition_id}", "nb")
    assert read(token) == reader(course, 2)


async def test_a_token_lasts_the_configured_days_from_the_time_of_mailing(course: Course) -> None:
    await course.publish()
    await course.confirm(1)
    await course.send_due()
    token = link(course.mailer.sent[0], "/me/calendar.ics")

    claims = jwt.decode(token, public_key(PARTICIPANT_PUBLIC_KEY), algorithms=["EdDSA"], options={"verify_exp": False})
    assert claims["exp"] - claims["iat"] == timedelta(days=TOKEN_DAYS).total_seconds()
    assert claims["iat"] == int(course.clock.now().timestamp())


async def test_tokens_never_reach_the_logs(course: Course, capsys: pytest.CaptureFixture[str]) -> None:
    await course.publish()
    await course.confirm(1)
    await course.waitlist(2, position=1)
    await course.open_survey()
    await course.send_due()

    tokens = {t for m in course.mailer.sent for t in re.findall(r"\?token=([^&\s]+)", m.content.text)}
    logged = capsys.readouterr()
    assert len(course.mailer.sent) == 3 and len(tokens) == 2
    assert not any(token in logged.out + logged.err for token in tokens)
