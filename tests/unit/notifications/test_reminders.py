"""Reminders per the edition's policy: planned once, moved with their session, dropped when no longer true."""

from dataclasses import replace
from datetime import datetime, timedelta

from koos_notifications.domain.edition import EditionCopy
from tests.unit.notifications.course import Course


def pending_reminders(course: Course) -> list[tuple[str, object]]:
    return sorted((str(s.notification.details["session_id"]), s.due_at)
                  for s in course.notifications.of_kind("session_reminder") if s.status == "pending")


def reminders_of(course: Course, session_id: str) -> list[object]:
    return [due for session, due in pending_reminders(course) if session == session_id]


def policy_times(start: datetime) -> list[datetime]:
    """When the default policy (48 h and 2 h before) reminds of a session starting at `start`."""
    return [start - timedelta(minutes=2880), start - timedelta(minutes=120)]


async def test_a_confirmed_participant_gets_a_reminder_per_offset_and_session(course: Course) -> None:
    await course.publish()
    await course.confirm(1)

    expected = sorted((f"s{i + 1}", course.session_start(i) - timedelta(minutes=offset))
                      for i in range(3) for offset in (2880, 120))
    assert pending_reminders(course) == expected


async def test_a_reminder_already_past_when_planned_is_never_sent(course: Course) -> None:
    await course.publish()
    course.clock.current = course.session_start(0) - timedelta(days=1)
    await course.confirm(1)

    assert reminders_of(course, "s1") == [course.session_start(0) - timedelta(hours=2)]


async def test_a_reminder_goes_out_when_due_and_only_once(course: Course) -> None:
    await course.publish()
    await course.confirm(1, language="en")
    await course.send_due()
    course.clock.current = course.session_start(0) - timedelta(minutes=2880)
    await course.send_due()
    await course.send_due()

    reminders = [m for m in course.mailer.sent if m.content.subject.startswith("Reminder")]
    assert len(reminders) == 1
    assert "When: Tuesday, 11 May 2027, 09:00–12:00" in reminders[0].content.text


async def test_reminders_planned_before_the_edition_was_known_are_planned_when_it_arrives(course: Course) -> None:
    await course.confirm(1)
    assert pending_reminders(course) == []

    await course.publish()
    assert len(pending_reminders(course)) == 6


async def test_a_reschedule_moves_the_pending_reminders_of_that_session(course: Course) -> None:
    await course.publish()
    await course.confirm(1)
    moved = course.rescheduled(1, course.session_start(1).date() + timedelta(days=2), start=13)
    await course.deliver(moved)

    assert reminders_of(course, "s2") == policy_times(moved.starts_at)


async def test_a_reminder_already_sent_comes_again_for_the_new_time(course: Course) -> None:
    await course.publish()
    await course.confirm(1)
    course.clock.current = course.session_start(0) - timedelta(minutes=2880)
    await course.send_due()
    moved = course.rescheduled(0, course.session_start(0).date() + timedelta(days=3))
    await course.deliver(moved)

    assert reminders_of(course, "s1") == policy_times(moved.starts_at)


async def test_a_reschedule_delivered_twice_moves_reminders_once(course: Course) -> None:
    await course.publish()
    await course.confirm(1)
    moved = course.rescheduled(1, course.session_start(1).date() + timedelta(days=2))
    envelope = await course.deliver(moved)
    await course.deliver(moved, envelope)

    assert len(pending_reminders(course)) == 6
    assert len(course.notifications.of_kind("session_rescheduled")) == 1


async def test_a_cancelled_session_cancels_its_pending_reminders(course: Course) -> None:
    await course.publish()
    await course.confirm(1)
    await course.cancel_session(2)

    assert {session for session, _ in pending_reminders(course)} == {"s1", "s2"}


async def test_a_cancelled_registration_cancels_the_persons_reminders(course: Course) -> None:
    await course.publish()
    await course.confirm(1)
    await course.confirm(2)
    await course.cancel(1)

    registrations = {s.notification.registration_id for s in course.notifications.of_kind("session_reminder")
                     if s.status == "pending"}
    assert registrations == {str(course.registration_id(2))}


async def test_a_reminder_for_a_session_moved_meanwhile_is_skipped_when_due(course: Course) -> None:
    await course.publish()
    await course.confirm(1)
    await course.send_due()
    course.editions.editions[str(course.edition_id)] = _with_revision(course, "s1", 5)
    course.clock.current = course.session_start(0) - timedelta(minutes=2880)
    await course.send_due()

    assert len(course.mailer.sent) == 1
    skipped = [s for s in course.notifications.of_kind("session_reminder") if s.status == "skipped"]
    assert [s.deliveries[-1]["reason"] for s in skipped] == ["session_moved"]


async def test_waiting_people_get_no_reminders(course: Course) -> None:
    await course.publish()
    await course.waitlist(4, position=1)

    assert pending_reminders(course) == []


def _with_revision(course: Course, session_id: str, revision: int) -> EditionCopy:
    edition = course.editions.editions[str(course.edition_id)]
    sessions = tuple(replace(s, revision=revision) if s.session_id == session_id else s for s in edition.sessions)
    return replace(edition, sessions=sessions)


async def test_a_late_reminder_overtaken_by_the_next_one_is_not_sent(course: Course) -> None:
    await course.publish()
    await course.confirm(1, language="en")
    await course.send_due()
    course.clock.current = course.session_start(0) - timedelta(minutes=90)
    await course.send_due()

    reminders = [m for m in course.mailer.sent if m.content.subject.startswith("Reminder")]
    assert len(reminders) == 1
    overtaken = [s for s in course.notifications.of_kind("session_reminder") if s.status == "skipped"]
    assert [(s.notification.details["offset_minutes"], s.deliveries[-1]["reason"]) for s in overtaken] == [
        (2880, "overtaken_by_later_reminder")]
