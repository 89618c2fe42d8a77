"""Each registration fact mails the person exactly once, in their language, whatever is redelivered."""

from koos_contracts.registration import RegistrationCancelled, RegistrationConfirmed
from tests.fakes import envelope_for
from tests.unit.notifications.course import ORGANISATION, Course, participant


async def test_a_confirmed_registration_mails_the_confirmation_with_a_calendar(course: Course) -> None:
    await course.publish()
    await course.confirm(1, language="et")
    await course.send_due()

    (mail,) = course.mailer.to(participant(1).email)
    assert mail.content.language == "et"
    assert mail.content.subject == "Sinu koht on kinnitatud: Introduction to service design"
    assert [a.filename for a in mail.attachments] == ["calendar.ics"]


async def test_the_same_event_delivered_twice_mails_once(course: Course) -> None:
    await course.publish()
    event = RegistrationConfirmed(registration_id=course.registration_id(1), edition_id=course.edition_id,
                                  participant=participant(1), confirmed_at=course.clock.now())
    envelope = envelope_for(event, ORGANISATION, time=course.clock.now())
    await course.deliver(event, envelope)
    await course.send_due()
    await course.deliver(event, envelope)
    await course.send_due()

    assert len(course.mailer.sent) == 1
    assert len(course.notifications.of_kind("registration_confirmed")) == 1


async def test_the_waiting_list_mail_tells_the_place_in_line(course: Course) -> None:
    await course.publish()
    await course.waitlist(7, position=4, language="fi")
    await course.send_due()

    (mail,) = course.mailer.sent
    assert "Olet jonossa sijalla 4." in mail.content.text
    assert mail.attachments == ()


async def test_a_promotion_mails_the_good_news_with_a_calendar(course: Course) -> None:
    await course.publish()
    await course.waitlist(7, position=1, language="en")
    await course.promote(7, language="en")
    await course.send_due()

    waiting, promoted = course.mailer.sent
    assert promoted.content.subject.startswith("A place opened up for you")
    assert promoted.attachments and not waiting.attachments


async def test_a_cancellation_still_sends_the_pending_confirmation_first(course: Course) -> None:
    await course.publish()
    await course.confirm(1)
    await course.cancel(1)
    await course.send_due()

    assert [m.content.subject.split(":")[0] for m in course.mailer.sent] == [
        "Plassen din er bekreftet", "Avmeldingen er bekreftet"]


async def test_leaving_the_waiting_list_is_confirmed_as_such(course: Course) -> None:
    await course.publish()
    await course.waitlist(3, position=2, language="en")
    await course.cancel(3, previous_status="waiting")
    await course.send_due()

    assert course.mailer.sent[-1].content.subject == "You have left the waiting list: Introduction to service design"


async def test_a_confirmation_waits_for_its_edition_then_goes_out(course: Course) -> None:
    await course.confirm(1)
    await course.send_due()
    assert course.mailer.sent == []

    await course.publish()
    course.clock.advance(seconds=11)
    await course.send_due()
    assert len(course.mailer.sent) == 1


async def test_the_feedback_request_goes_to_confirmed_participants_with_the_survey_link(course: Course) -> None:
    await course.publish()
    await course.confirm(1, language="en")
    await course.confirm(2, language="nb")
    await course.cancel(2)
    await course.waitlist(3, position=1)
    await course.open_survey()
    await course.send_due()

    requests = [m for m in course.mailer.sent if m.kind == "feedback_requested"]
    assert [m.recipient.email for m in requests] == [participant(1).email]
    assert f"https://koos.example/f/{course.edition_id}?token=" in requests[0].content.text


async def test_a_batch_mails_everyone_once_whatever_else_it_carries(course: Course) -> None:
    await course.publish()
    await course.deliver_batch(course.rush_batch())
    await course.send_due()

    assert course.subjects() == sorted([
        (participant(1).email, "Plassen din er bekreftet"), (participant(1).email, "Lenkene dine"),
        (participant(2).email, "Du står på venteliste"),
        (participant(2).email, "Du står ikke lenger på venteliste"),
        (participant(3).email, "You're on the waiting list")])
    left = await course.participants.get(str(course.registration_id(2)))
    assert left is not None and left.status == "cancelled"


async def test_a_batch_consumed_again_even_cut_differently_mails_nobody_twice(course: Course) -> None:
    await course.publish()
    batch = course.rush_batch()
    await course.deliver_batch(batch)
    await course.send_due()
    mailed = course.subjects()

    await course.deliver_batch(batch)
    await course.deliver_batch(batch[:2])
    await course.deliver_batch(batch[2:])
    await course.send_due()

    assert course.subjects() == mailed and len(mailed) == 5
    assert len(course.notifications.stored) == 5


async def test_a_seat_given_and_cancelled_within_one_batch_keeps_no_reminder(course: Course) -> None:
    await course.publish()
    await course.confirm(1)
    await course.plan_all_reminders()
    seat = RegistrationConfirmed(registration_id=course.registration_id(2), edition_id=course.edition_id,
                                 participant=participant(2), confirmed_at=course.clock.now())
    cancel = RegistrationCancelled(registration_id=course.registration_id(2), edition_id=course.edition_id,
                                   person_id="person-2", previous_status="confirmed", cancelled_at=course.clock.now())
    await course.deliver_batch([(seat, course.envelope(seat)), (cancel, course.envelope(cancel))])

    reminders = [s for s in course.notifications.of_kind("session_reminder") if s.status == "pending"]
    assert {s.notification.registration_id for s in reminders} == {str(course.registration_id(1))}
    assert [s.notification.kind for s in course.notifications.stored.values()
            if s.notification.registration_id == str(course.registration_id(2))] == [
        "registration_confirmed", "registration_cancelled"]
