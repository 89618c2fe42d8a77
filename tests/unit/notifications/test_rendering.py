"""Mails in the reader's language, with dates and times in the edition's zone; English when a language is missing."""

import shutil
from dataclasses import replace
from datetime import timedelta
from email import policy
from email.parser import BytesParser, Parser
from pathlib import Path

import pytest
from icalendar import Calendar

from koos_kit.ical import session_uid
from koos_notifications.adapters.messages import needs_smtputf8, wire_bytes
from koos_notifications.adapters.rendering import TEMPLATES, JinjaRenderer
from koos_notifications.domain.mail import OutgoingMail
from tests.unit.notifications.course import Course, participant

HELSINKI_SESSION = {
    "fi": "tiistai 11. toukokuuta 2027 klo 9.00–12.00",
    "et": "teisipäev, 11. mai 2027 kell 09:00–12:00",
    "nb": "tirsdag 11. mai 2027 kl. 09:00–12:00",
    "en": "Tuesday, 11 May 2027, 09:00–12:00",
}
REMINDER_SUBJECTS = {
    "fi": "Muistutus: Introduction to service design, 11. toukokuuta klo 9.00",
    "et": "Meeldetuletus: Introduction to service design, 11. mai kell 09:00",
    "nb": "Påminnelse: Introduksjon til tjenestedesign, 11. mai kl. 09:00",
    "en": "Reminder: Introduction to service design, 11 May at 09:00",
}


async def mails_of_a_helsinki_course(language: str, renderer: JinjaRenderer | None = None) -> list[OutgoingMail]:
    course = Course.create(renderer=renderer, timezone="Europe/Helsinki")
    await course.publish()
    await course.confirm(1, language=language)
    await course.send_due()
    course.clock.current = course.session_start(0) - timedelta(hours=2)
    await course.send_due()
    return course.mailer.sent


@pytest.mark.parametrize("language", ["fi", "et", "nb", "en"])
async def test_a_confirmation_lists_the_sessions_in_local_time_and_the_readers_words(language: str) -> None:
    confirmation, _ = await mails_of_a_helsinki_course(language)

    assert confirmation.content.language == language
    assert HELSINKI_SESSION[language] in confirmation.content.text
    assert participant(1).name in confirmation.content.text


@pytest.mark.parametrize("language", ["fi", "et", "nb", "en"])
async def test_a_reminder_subject_names_the_local_day_and_time(language: str) -> None:
    _, reminder = await mails_of_a_helsinki_course(language)

    assert reminder.content.subject == REMINDER_SUBJECTS[language]


async def test_a_language_without_a_template_falls_back_to_english(tmp_path: Path) -> None:
    folder = tmp_path / "templates"
    shutil.copytree(TEMPLATES, folder)
    (folder / "fi" / "registration_confirmed.txt").unlink()
    confirmation, reminder = await mails_of_a_helsinki_course("fi", JinjaRenderer(folder))

    assert confirmation.content.language == "en"
    assert confirmation.content.subject == "You're in: Introduction to service design"
    assert HELSINKI_SESSION["en"] in confirmation.content.text
    assert reminder.content.language == "fi"


async def test_a_reschedule_notice_gives_the_new_and_the_old_time(course: Course) -> None:
    await course.publish()
    await course.confirm(1, language="en")
    moved = course.rescheduled(1, course.session_start(1).date() + timedelta(days=2), start=13)
    await course.deliver(moved)
    await course.send_due()

    notice = course.mailer.sent[-1]
    assert notice.content.subject == "New time: Introduction to service design, 20 May at 13:00"
    assert "New time: Thursday, 20 May 2027, 13:00–16:00" in notice.content.text
    assert "Before: Tuesday, 18 May 2027, 09:00–12:00" in notice.content.text
    assert "Deichman Bjørvika" in notice.content.text


async def test_the_reschedule_calendar_replaces_the_entry_of_the_confirmation(course: Course) -> None:
    await course.publish()
    await course.confirm(1)
    await course.send_due()
    moved = course.rescheduled(1, course.session_start(1).date() + timedelta(days=2))
    await course.deliver(moved)
    await course.send_due()

    confirmation, notice = (Calendar.from_ical(m.attachments[0].content) for m in course.mailer.sent)
    uid = session_uid(course.edition_id, "s2")
    before = next(e for e in confirmation.walk("VEVENT") if e["UID"] == uid)
    (after,) = notice.walk("VEVENT")
    assert len(confirmation.walk("VEVENT")) == 3
    assert after["UID"] == uid and int(after.decoded("SEQUENCE")) > int(before.decoded("SEQUENCE"))
    assert after.decoded("DTSTART") == moved.starts_at


async def test_a_mail_carries_nordic_letters_intact_as_utf8(course: Course) -> None:
    await course.publish()
    await course.confirm(1, language="et")
    await course.send_due()
    (mail,) = course.mailer.sent

    raw = wire_bytes(mail, course.clock.now())
    parsed = BytesParser(policy=policy.default).parsebytes(raw)
    assert raw.isascii() and b"\r\n" in raw
    assert parsed["To"].addresses[0].display_name == participant(1).name == "Jüri Õunapuu 1"
    assert parsed["Subject"] == mail.content.subject
    assert parsed["Message-ID"] == mail.message_id
    assert parsed["X-Koos-Notification-Kind"] == "registration_confirmed"
    plain, html = parsed.get_body(("plain",)), parsed.get_body(("html",))
    assert plain is not None and "Tere, Jüri Õunapuu 1!" in plain.get_content()
    assert html is not None and "Jüri Õunapuu 1" in html.get_content()
    (attachment,) = parsed.iter_attachments()
    assert attachment.get_content_type() == "text/calendar" and attachment.get_param("method") == "PUBLISH"
    assert parsed["Content-Language"] == "et"


async def test_a_mail_to_an_address_with_nordic_letters_goes_out_as_smtputf8(course: Course) -> None:
    await course.publish()
    await course.confirm(1, language="nb")
    await course.send_due()
    (mail,) = course.mailer.sent
    abroad = replace(mail, recipient=replace(mail.recipient, email="åse.ødegård@kommune.example"))

    parsed = Parser(policy=policy.default).parsestr(wire_bytes(abroad, course.clock.now()).decode())
    assert needs_smtputf8(abroad) and not needs_smtputf8(mail)
    assert parsed["To"].addresses[0].addr_spec == "åse.ødegård@kommune.example"
    assert parsed["Subject"] == mail.content.subject and parsed["Message-ID"] == mail.message_id
