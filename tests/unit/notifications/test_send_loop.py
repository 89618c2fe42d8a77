"""The send loop: one mail and one NotificationSent per notification, back-off on failure, doubts settled."""

import asyncio
import time
from dataclasses import replace
from datetime import timedelta

import pytest
from prometheus_client import REGISTRY

from koos_contracts.notifications import NotificationFailed, NotificationSent
from koos_contracts.registration import RegistrationConfirmed
from koos_contracts.values import Participant
from koos_notifications.adapters.smtp import SmtpMailer
from koos_notifications.domain.delivery import Failure
from koos_notifications.domain.mail import OutgoingMail
from koos_notifications.service_layer.attempts import Claim
from koos_notifications.service_layer.mailing import Paced, SendRate
from koos_notifications.service_layer.sending import send_next
from tests.fixtures.servers import free_ports
from tests.unit.notifications.course import RETRY, Course, participant
from tests.unit.notifications.fakes import FakeMailer, SenderVanished

BROKEN_LINK = Failure(code=None, error_class="SMTPServerDisconnected", uncertain=True)


def in_doubt(resolution: str) -> float:
    return REGISTRY.get_sample_value("koos_notifications_in_doubt_total",
                                     {"kind": "registration_confirmed", "resolution": resolution}) or 0.0


def outcomes(course: Course) -> list[str]:
    (stored,) = course.notifications.of_kind("registration_confirmed")
    return [d["outcome"] for d in stored.deliveries]


async def killed_right_after_handing_over(course: Course) -> None:
    """The mail reaches the server, then the sender dies before it records the success."""
    course.mailer.vanish_next()
    with pytest.raises(SenderVanished):
        await course.send_due()


async def confirmed_course(course: Course, people: int = 1) -> Course:
    await course.publish()
    for n in range(1, people + 1):
        await course.confirm(n)
    return course


async def test_each_notification_is_sent_once_with_one_sent_event(course: Course) -> None:
    await confirmed_course(course, people=3)
    await course.send_due()
    await course.send_due()

    sent = [e for e in course.notifications.events() if isinstance(e, NotificationSent)]
    assert len(course.mailer.sent) == 3
    assert sorted(e.notification_id for e in sent) == sorted(m.notification_id for m in course.mailer.sent)
    assert {e.attempts for e in sent} == {1}
    assert course.lookup.asked == []


async def test_a_failing_server_is_retried_with_growing_pauses_then_succeeds(course: Course) -> None:
    await confirmed_course(course)
    course.mailer.fail_next(2)
    await course.send_due()
    (stored,) = course.notifications.of_kind("registration_confirmed")
    first_retry = stored.due_at
    assert first_retry is not None
    course.clock.current = first_retry
    await course.send_due()
    second_retry = stored.due_at
    assert second_retry is not None
    course.clock.current = second_retry
    await course.send_due()

    assert second_retry - first_retry == 2 * RETRY.backoff
    assert stored.status == "sent" and [d["outcome"] for d in stored.deliveries] == ["deferred", "deferred", "sent"]
    assert len(course.mailer.sent) == 1


async def test_a_notification_fails_after_the_last_attempt_with_one_failed_event(course: Course) -> None:
    await confirmed_course(course)
    course.mailer.fail_next(10)
    for _ in range(RETRY.max_attempts + 2):
        await course.send_due()
        course.clock.advance(minutes=10)

    (stored,) = course.notifications.of_kind("registration_confirmed")
    assert stored.status == "failed" and stored.attempts == RETRY.max_attempts
    (failed,) = [e for e in course.notifications.events() if isinstance(e, NotificationFailed)]
    assert failed.attempts == RETRY.max_attempts and failed.reason == "SMTPConnectError"
    assert stored.deliveries[-1] == {"attempt": 4, "at": stored.deliveries[-1]["at"], "outcome": "failed",
                                     "code": None, "error": "SMTPConnectError"}


async def test_a_permanent_refusal_fails_at_once(course: Course) -> None:
    await confirmed_course(course)
    course.mailer.fail_next(1, Failure(code=550, error_class="SMTPRecipientsRefused", permanent=True))
    await course.send_due()

    (stored,) = course.notifications.of_kind("registration_confirmed")
    assert stored.status == "failed" and stored.attempts == 1
    assert stored.deliveries[-1]["code"] == 550


async def test_nothing_is_sent_before_it_is_due(course: Course) -> None:
    await confirmed_course(course)
    course.mailer.fail_next(1)
    await course.send_due()
    course.clock.advance(seconds=RETRY.backoff.total_seconds() - 1)

    assert await course.send_due() == 0
    assert course.mailer.sent == []


async def test_a_mail_the_server_took_before_the_sender_died_is_not_sent_again(course: Course) -> None:
    await confirmed_course(course)
    await killed_right_after_handing_over(course)
    before = in_doubt("found_delivered")

    course.clock.advance(seconds=30)
    assert await send_next(course.ports) is False
    course.clock.advance(seconds=31)
    await course.send_due()

    (mail,) = course.mailer.sent
    assert course.lookup.asked == [mail.message_id]
    assert outcomes(course) == ["in_doubt", "in_doubt_found_delivered"]
    (sent,) = [e for e in course.notifications.events() if isinstance(e, NotificationSent)]
    assert sent.notification_id == mail.notification_id and sent.attempts == 1
    assert sent.doubt == "found_delivered"
    assert in_doubt("found_delivered") == before + 1


async def test_a_mail_the_server_never_got_is_resent_with_the_same_message_id(course: Course) -> None:
    await confirmed_course(course)
    (crashed,) = await course.notifications.claim(course.clock.now(), course.clock.now() + timedelta(seconds=60), 1)
    before = in_doubt("resent_not_received")

    course.clock.advance(seconds=61)
    await course.send_due()

    (mail,) = course.mailer.sent
    assert mail.message_id == f"<{crashed.notification.notification_id}@koos.example>"
    assert outcomes(course) == ["in_doubt", "in_doubt_resent", "sent"]
    (stored,) = course.notifications.of_kind("registration_confirmed")
    assert stored.deliveries[1]["lookup"] == "not_received"
    assert in_doubt("resent_not_received") == before + 1


async def test_without_an_answer_from_the_provider_a_mail_in_doubt_goes_out_again(course: Course) -> None:
    await confirmed_course(course)
    course.lookup.answering = False
    await killed_right_after_handing_over(course)
    before = in_doubt("resent_unknown")

    course.clock.advance(seconds=61)
    await course.send_due()

    first, second = course.mailer.sent
    assert first.message_id == second.message_id
    assert outcomes(course) == ["in_doubt", "in_doubt_resent", "sent"]
    (sent,) = [e for e in course.notifications.events() if isinstance(e, NotificationSent)]
    assert sent.doubt == "resent", "the log shows that the person may have got it twice"
    assert in_doubt("resent_unknown") == before + 1


async def failed_once_then_retried(course: Course, failure: Failure) -> None:
    """The first attempt fails so; the retry runs when due."""
    await confirmed_course(course)
    course.mailer.fail_next(1, failure)
    await course.send_due()
    (stored,) = course.notifications.of_kind("registration_confirmed")
    assert stored.due_at is not None
    course.clock.current = stored.due_at
    await course.send_due()


async def test_a_link_broken_mid_send_is_settled_by_the_provider_before_the_next_attempt(course: Course) -> None:
    await failed_once_then_retried(course, BROKEN_LINK)

    assert len(course.mailer.sent) == 1
    assert outcomes(course) == ["deferred", "in_doubt_found_delivered"]
    assert course.lookup.asked == [course.mailer.sent[0].message_id]


async def test_a_refusal_before_the_server_took_the_mail_does_not_ask_the_provider(course: Course) -> None:
    await failed_once_then_retried(course, Failure(code=421, error_class="SMTPResponseException"))

    assert len(course.mailer.sent) == 1
    assert outcomes(course) == ["deferred", "sent"] and course.lookup.asked == []


async def test_a_slow_sender_that_lost_its_claim_does_not_record_a_second_success(course: Course) -> None:
    await confirmed_course(course)
    now = course.clock.now()
    (slow,) = await course.notifications.claim(now, now + timedelta(seconds=60), 1)
    course.clock.advance(seconds=61)
    await course.send_due()

    assert await course.notifications.mark_sent(slow, course.clock.now(), 250, []) is False
    assert len([e for e in course.notifications.events() if isinstance(e, NotificationSent)]) == 1


async def stopped_mid_send(course: Course) -> None:
    """The send loop is stopped while the first mail is with the provider, which then takes it."""
    course.mailer.hold()
    loop = asyncio.create_task(course.send_due())
    await course.mailer.holding.wait()
    loop.cancel()
    course.mailer.release()
    with pytest.raises(asyncio.CancelledError):
        await loop


async def test_stopping_the_loop_mid_send_still_records_the_mail_in_hand(course: Course) -> None:
    await confirmed_course(course)
    await stopped_mid_send(course)

    (stored,) = course.notifications.of_kind("registration_confirmed")
    assert stored.status == "sent" and len(course.mailer.sent) == 1


class SlowMailer(FakeMailer):
    """A provider that takes `seconds` of the course's clock for every mail, while a rival sender looks for work."""

    def __init__(self, course: Course, seconds: float) -> None:
        super().__init__()
        self.course, self.seconds = course, seconds
        self.rival_claims: list[Claim] = []

    async def send(self, mail: OutgoingMail) -> int:
        self.course.clock.advance(seconds=self.seconds)
        now = self.course.clock.now()
        self.rival_claims += await self.course.notifications.claim(now, now + timedelta(seconds=60), 10)
        return await super().send(mail)


class CountingRate(SendRate):
    """Counts the turns the send loop waits for."""

    def __init__(self) -> None:
        self.turns = 0

    async def turn(self) -> None:
        self.turns += 1


async def test_a_batch_that_would_outlast_its_lease_gives_the_rest_back_to_go_out_next(course: Course) -> None:
    await confirmed_course(course, people=5)
    mailer = SlowMailer(course, seconds=25)
    course.ports = replace(course.ports, mailer=mailer)
    await course.send_due()

    assert mailer.rival_claims == []
    assert len(mailer.sent) == 5
    stored = course.notifications.of_kind("registration_confirmed")
    assert {(s.status, s.attempts, len(s.deliveries)) for s in stored} == {("sent", 1, 1)}


async def test_stopping_mid_batch_gives_back_what_was_not_started(course: Course) -> None:
    await confirmed_course(course, people=3)
    await stopped_mid_send(course)

    stored = course.notifications.of_kind("registration_confirmed")
    assert sorted((s.status, s.attempts, len(s.deliveries)) for s in stored) == [
        ("pending", 0, 0), ("pending", 0, 0), ("sent", 1, 1)]
    assert await course.send_due() == 2 and len(course.mailer.sent) == 3


async def test_every_mail_handed_over_waits_its_turn_at_the_send_rate(course: Course) -> None:
    rate = CountingRate()
    course.ports = replace(course.ports, send_rate=rate)
    await confirmed_course(course, people=4)
    await killed_right_after_handing_over(course)
    course.clock.advance(seconds=61)
    await course.send_due()

    assert len(course.mailer.sent) == 4
    assert rate.turns == 4


async def test_the_send_rate_lets_mails_go_no_faster_than_it_says() -> None:
    rate, started = Paced(per_second=50), time.monotonic()

    await asyncio.gather(*(rate.turn() for _ in range(26)))
    assert time.monotonic() - started >= 25 / 50
async def test_a_mail_that_cannot_be_built_fails_for_good_at_its_first_attempt(course: Course) -> None:
    await course.publish()
    written_before_names_were_checked = Participant.model_construct(
        person_id="person-1", email=participant(1).email, name="Kari\r\nBcc: everyone@example.org", language="nb")
    await course.deliver(RegistrationConfirmed(registration_id=course.registration_id(1), edition_id=course.edition_id,
                                               participant=written_before_names_were_checked,
                                               confirmed_at=course.clock.now()))
    course.ports = replace(course.ports, mailer=SmtpMailer("127.0.0.1", free_ports(1)[0], timeout=1))

    for _ in range(3):
        await course.send_due()
        course.clock.advance(minutes=30)

    (stored,) = course.notifications.of_kind("registration_confirmed")
    assert stored.status == "failed" and stored.attempts == 1
    (failed,) = [e for e in course.notifications.events() if isinstance(e, NotificationFailed)]
    assert failed.reason == "MailNotBuildable"
