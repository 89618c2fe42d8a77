"""A person asks for their links again: mailed if their registration stands, once per window, answered once."""

from datetime import timedelta

import pytest

from koos_contracts import parse
from koos_contracts.notifications import LinksResent, ResendLinks
from koos_contracts.personal_data import PersonalDataExportReady
from koos_contracts.registration import RegistrationUnchanged
from koos_kit.events import EventFactory
from koos_notifications.service_layer.resending import ResendPorts, export_ready, resend_links
from tests.fakes import RecordingReplies, envelope_for
from tests.unit.notifications.course import ORGANISATION, Course, participant


@pytest.fixture
def resend(course: Course) -> ResendPorts:
    return ResendPorts(participants=course.participants, notifications=course.notifications,
                       replies=RecordingReplies(), clock=course.clock, factory=EventFactory("/koos/notifications"),
                       every=timedelta(minutes=10))


async def ask(course: Course, ports: ResendPorts, n: int, organisation: str = ORGANISATION) -> LinksResent:
    command = ResendLinks(edition_id=course.edition_id, email=participant(n).email)
    envelope = envelope_for(command, organisation_id=organisation)
    await resend_links(command, envelope, ports)
    answer = parse(ports.replies.envelopes[-1])  # type: ignore[attr-defined]
    assert isinstance(answer, LinksResent) and ports.replies.envelopes[-1].causationid == envelope.id  # type: ignore[attr-defined]
    return answer


async def test_a_seated_person_gets_their_links_in_their_language(course: Course, resend: ResendPorts) -> None:
    await course.publish()
    await course.confirm(1, language="fi")
    await course.send_due()

    answer = await ask(course, resend, 1)
    await course.send_due()

    assert answer.mailed and answer.registration_id == course.registration_id(1)
    mail = course.mailer.sent[-1]
    assert mail.kind == "links_resent" and mail.content.language == "fi"
    assert f"/r/{course.registration_id(1)}?token=" in mail.content.text and "&lang=fi" in mail.content.text
    assert "/me/calendar.ics?token=" in mail.content.text


async def test_a_person_in_line_gets_the_waiting_list_links(course: Course, resend: ResendPorts) -> None:
    await course.publish()
    await course.waitlist(4, position=1, language="en")

    await ask(course, resend, 4)
    await course.send_due()

    assert "leave the waiting list" in course.mailer.sent[-1].content.text


async def test_asking_again_within_the_window_mails_once(course: Course, resend: ResendPorts) -> None:
    await course.publish()
    await course.confirm(1)

    answers = [await ask(course, resend, 1) for _ in range(3)]
    course.clock.advance(minutes=11)
    later = await ask(course, resend, 1)
    await course.send_due()

    assert [a.mailed for a in answers] == [True, False, False] and later.mailed
    assert len([m for m in course.mailer.sent if m.kind == "links_resent"]) == 2


async def test_an_unknown_cancelled_or_foreign_address_is_answered_but_mailed_nothing(
        course: Course, resend: ResendPorts) -> None:
    await course.publish()
    await course.confirm(2)
    await course.cancel(2)
    await course.confirm(3)

    answers = [await ask(course, resend, 1), await ask(course, resend, 2),
               await ask(course, resend, 3, organisation="bergen-kommune")]
    await course.send_due()

    assert [a.mailed for a in answers] == [False, False, False]
    assert not [m for m in course.mailer.sent if m.kind == "links_resent"]


async def test_signing_up_again_mails_the_owner_their_links_once_per_window(course: Course) -> None:
    await course.publish()
    await course.confirm(1, language="fi")
    repeat = RegistrationUnchanged(registration_id=course.registration_id(1), edition_id=course.edition_id,
                                   person_id="person-1", status="confirmed")
    await course.deliver_batch([(repeat, course.envelope(repeat)) for _ in range(3)])
    await course.send_due()

    links = [m for m in course.mailer.sent if m.kind == "links_resent"]
    assert len(links) == 1 and links[0].recipient.email == participant(1).email
    assert links[0].content.language == "fi" and f"/r/{course.registration_id(1)}?token=" in links[0].content.text


async def test_cancelling_again_mails_no_links(course: Course) -> None:
    await course.publish()
    await course.confirm(1)
    await course.cancel(1)
    repeat = RegistrationUnchanged(registration_id=course.registration_id(1), edition_id=course.edition_id,
                                   person_id="person-1", status="cancelled")
    await course.deliver_batch([(repeat, course.envelope(repeat))])
    await course.send_due()

    assert [m for m in course.mailer.sent if m.kind == "links_resent"] == []


def ready(course: Course, n: int, request_id: str = "request-1") -> PersonalDataExportReady:
    return PersonalDataExportReady(request_id=request_id, subject_id=f"person-{n}",
                                   registration_id=course.registration_id(n), ready_at=course.clock.now())


@pytest.mark.parametrize("language, subject", [("et", "Sinu andmete koopia on valmis"),
                                               ("en", "Your copy of your data is ready")])
async def test_a_ready_export_is_mailed_once_with_the_link_to_the_copy(course: Course, language: str,
                                                                       subject: str) -> None:
    await course.publish()
    await course.confirm(1, language=language)
    await course.send_due()
    event = envelope_for(ready(course, 1), organisation_id=ORGANISATION)

    for _ in range(2):  # consumed again after a restart
        await course.deliver_batch([(ready(course, 1), event)])
    await course.send_due()

    (mail,) = [m for m in course.mailer.sent if m.kind == "export_ready"]
    assert mail.content.subject == subject and mail.content.language == language
    assert f"/r/{course.registration_id(1)}/my-data/request-1?token=" in mail.content.text
    assert mail.recipient.email == participant(1).email


async def test_a_ready_export_of_an_unknown_or_foreign_registration_mails_nobody(course: Course) -> None:
    await course.publish()
    await course.confirm(1)
    await course.send_due()
    before = len(course.mailer.sent)

    await export_ready(ready(course, 2), envelope_for(ready(course, 2), organisation_id=ORGANISATION), course.ports)
    await export_ready(ready(course, 1, "request-2"),
                       envelope_for(ready(course, 1, "request-2"), organisation_id="bergen-kommune"), course.ports)
    await course.send_due()

    assert len(course.mailer.sent) == before
