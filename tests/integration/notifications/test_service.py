"""The notifications service as a process: real Kafka events in, real mails out through the SMTP server."""

import re
from datetime import timedelta
from pathlib import Path

import pytest

from koos_contracts.identity import registration_id_for
from koos_contracts.notifications import NotificationSent
from koos_contracts.scheduling import EditionPublished, SessionRescheduled
from koos_contracts.topics import DELIVERIES
from koos_contracts.values import Participant
from koos_kit.ical import session_uid
from tests.builders import LIBRARY, open_course, published
from tests.fixtures.kafka import KafkaProbe, of_type
from tests.fixtures.servers import SmtpEndpoint
from tests.fixtures.services import ServiceFactory
from tests.integration.notifications.mailroom import (
    Mailroom,
    calendar_of,
    start_notifications,
    text_of,
)
from tests.tokens import VERIFIER

pytestmark = pytest.mark.integration

CONFIRMED_SUBJECTS = {"et": "Sinu koht on kinnitatud", "fi": "Paikkasi on vahvistettu",
                      "nb": "Plassen din er bekreftet", "en": "You're in"}
RESCHEDULED_OPENINGS = {"et": "Kursuse „", "fi": "”", "nb": "Samling 2 på «", "en": "Session 2 of “"}
LANGUAGES = ("et", "fi", "nb", "en")


@pytest.fixture
def mailroom(kafka_probe: KafkaProbe, smtp_server: SmtpEndpoint) -> Mailroom:
    return Mailroom(kafka_probe, Path(smtp_server.maildir))


async def four_confirmed_and_one_waiting(services: ServiceFactory, kafka_probe: KafkaProbe,
                                         mailroom: Mailroom) -> tuple[EditionPublished, list[Participant]]:
    """The service running, an edition, one confirmed person per language and person 9 waiting (nb)."""
    start_notifications(services)
    edition = published(open_course())
    await kafka_probe.send(edition)
    people = [mailroom.person(n, language) for n, language in enumerate(LANGUAGES)]
    for person in people:
        await mailroom.confirm(edition, person)
    await mailroom.waitlist(edition, mailroom.person(9, "nb"), position=1)
    return edition, people


async def test_each_person_gets_their_mail_in_their_language_with_a_calendar(
        services: ServiceFactory, kafka_probe: KafkaProbe, mailroom: Mailroom) -> None:
    edition, people = await four_confirmed_and_one_waiting(services, kafka_probe, mailroom)

    mails = {str(m["To"].addresses[0].addr_spec): m for m in await mailroom.wait_for_mails(5)}
    for person in people:
        mail = mails[person.email]
        assert mail["Content-Language"] == person.language
        assert str(mail["Subject"]).startswith(CONFIRMED_SUBJECTS[person.language])
        assert person.name in text_of(mail) and mail["To"].addresses[0].display_name == person.name
        uids = [str(event["UID"]) for event in calendar_of(mail).walk("VEVENT")]
        assert uids == [session_uid(edition.edition_id, f"s{i}") for i in (1, 2, 3)]
    waiting = mails[mailroom.person(9).email]
    assert "Du er nummer 1 i køen." in text_of(waiting) and not list(waiting.iter_attachments())
    deliveries = await kafka_probe.envelopes(DELIVERIES, lambda es: len(of_type(es, NotificationSent)) >= 5)
    assert len({e.subject for e in of_type(deliveries, NotificationSent)}) == 5


async def test_a_reschedule_reaches_every_confirmed_participant_in_their_own_language(
        services: ServiceFactory, kafka_probe: KafkaProbe, mailroom: Mailroom) -> None:
    edition, people = await four_confirmed_and_one_waiting(services, kafka_probe, mailroom)
    await mailroom.wait_for_mails(5)
    await kafka_probe.send(_moved(edition, days=1))

    notices = (await mailroom.wait_for_mails(9))[5:]
    assert sorted(str(m["To"].addresses[0].addr_spec) for m in notices) == sorted(p.email for p in people)
    for notice in notices:
        language = str(notice["Content-Language"])
        assert text_of(notice).split("\n\n")[1].startswith(RESCHEDULED_OPENINGS[language])
        (entry,) = calendar_of(notice).walk("VEVENT")
        assert str(entry["UID"]) == session_uid(edition.edition_id, "s2") and entry["SEQUENCE"] == 1
        assert entry.decoded("DTSTART") == edition.sessions[1].starts_at + timedelta(days=1)


async def test_a_mailed_link_carries_a_token_for_its_reader_only(
        services: ServiceFactory, kafka_probe: KafkaProbe, mailroom: Mailroom) -> None:
    edition, people = await four_confirmed_and_one_waiting(services, kafka_probe, mailroom)

    mails = {str(m["To"].addresses[0].addr_spec): m for m in await mailroom.wait_for_mails(5)}
    for person in [*people, mailroom.person(9, "nb")]:
        text = text_of(mails[person.email])
        registration = registration_id_for(edition.edition_id, person.email)
        for path in (f"/r/{registration}", "/me/calendar.ics"):
            (token,) = re.findall(rf"{re.escape(path)}\?token=([^&\s]+)", text)
            claims = VERIFIER.read(token)
            assert (claims.organisation_id, claims.person_id, claims.registration_id) == (
                "org-oslo", person.person_id, str(registration))


def _moved(edition: EditionPublished, days: int) -> SessionRescheduled:
    session = edition.sessions[1]
    return SessionRescheduled(edition_id=edition.edition_id, session_id="s2",
                              starts_at=session.starts_at + timedelta(days=days),
                              ends_at=session.ends_at + timedelta(days=days), venue=LIBRARY,
                              previous_starts_at=session.starts_at, previous_ends_at=session.ends_at,
                              previous_venue=session.venue)
