"""Reminders per the edition's policy: planned once as their time nears, moved with their session, dropped when
no longer true."""

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
    await course.plan_all_reminders()

    expected = sorted((f"s{i + 1}", course.session_start(i) - timedelta(minutes=offset))
                      for i in range(3) for offset in (2880, 120))
    assert pending_reminders(course) == expected


async def test_a_registration_stores_no_reminder_until_its_time_nears(course: Course) -> None:
    await course.publish()
    await course.confirm(1)
    await course.send_due()
    assert pending_reminders(course) == []

    first = course.session_start(0) - timedelta(minutes=2880)
    course.clock.current = first - course.ports.delivery.reminder_lead
    await course.send_due()
    assert pending_reminders(course) == [("s1", first)]


async def test_someone_seated_after_the_reminder_times_were_planned_gets_them_with_the_seat(course: Course) -> None:
    await course.publish()
    await course.confirm(1)
    await course.plan_all_reminders()
    await course.confirm(2)

    late = [s for s in course.notifications.of_kind("session_reminder")
            if s.notification.registration_id == str(course.registration_id(2))]
    assert len(late) == 6


async def test_planning_a_reminder_time_again_adds_nothing(course: Course) -> None:
    await course.publish()
    await course.confirm(1)

    assert await course.plan_all_reminders() == 6
    course.editions.editions[str(course.edition_id)] = replace(
        course.editions.editions[str(course.edition_id)], reminded_slots=frozenset())
    assert await course.plan_all_reminders() == 0
    assert len(pending_reminders(course)) == 6


async def test_a_reminder_already_past_when_planned_is_never_sent(course: Course) -> None:
    await course.publish()
    course.clock.current = course.session_start(0) - timedelta(days=1)
    await course.confirm(1)
    await course.plan_all_reminders()

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


async def test_people_seated_before_the_edition_was_known_are_reminded_too(course: Course) -> None:
    await course.confirm(1)
    await course.plan_all_reminders()
    assert pending_reminders(course) == []

    await course.publish()
    await course.plan_all_reminders()
    assert len(pending_reminders(course)) == 6


async def test_a_reschedule_moves_the_pending_reminders_of_that_session(course: Course) -> None:
    await course.publish()
    await course.confirm(1)
    await course.plan_all_reminders()
    moved = course.rescheduled(1, course.session_start(1).date() + timedelta(days=2), start=13)
    await course.deliver(moved)
    await course.plan_all_reminders()

    assert reminders_of(course, "s2") == policy_times(moved.starts_at)


async def test_a_reminder_already_sent_comes_again_for_the_new_time(course: Course) -> None:
    await course.publish()
    await course.confirm(1)
    course.clock.current = course.session_start(0) - timedelta(minutes=2880)
    await course.send_due()
    moved = course.rescheduled(0, course.session_start(0).date() + timedelta(days=3))
    await course.deliver(moved)
    await course.plan_all_reminders()

    assert reminders_of(course, "s1") == policy_times(moved.starts_at)


async def test_a_reschedule_delivered_twice_moves_reminders_once(course: Course) -> None:
    await course.publish()
    await course.confirm(1)
    await course.plan_all_reminders()
    moved = course.rescheduled(1, course.session_start(1).date() + timedelta(days=2))
    envelope = await course.deliver(moved)
    await course.deliver(moved, envelope)
    await course.plan_all_reminders()

    assert len(pending_reminders(course)) == 6
    assert len(course.notifications.of_kind("session_rescheduled")) == 1


async def test_a_cancelled_session_cancels_its_pending_reminders(course: Course) -> None:
    await course.publish()
    await course.confirm(1)
    await course.plan_all_reminders()
    await course.cancel_session(2)
    await course.plan_all_reminders()

    assert {session for session, _ in pending_reminders(course)} == {"s1", "s2"}


async def test_a_session_cancelled_before_its_reminder_times_gets_no_reminders(course: Course) -> None:
    await course.publish()
    await course.confirm(1)
    await course.cancel_session(2)
    await course.plan_all_reminders()

    assert {session for session, _ in pending_reminders(course)} == {"s1", "s2"}


async def test_a_cancelled_registration_cancels_the_persons_reminders(course: Course) -> None:
    await course.publish()
    await course.confirm(1)
    await course.confirm(2)
    await course.confirm(3)
    await course.cancel(3)
    await course.plan_all_reminders()
    await course.cancel(1)

    registrations = {s.notification.registration_id for s in course.notifications.of_kind("session_reminder")
                     if s.status == "pending"}
    assert registrations == {str(course.registration_id(2))}
    assert not [s for s in course.notifications.of_kind("session_reminder")
                if s.notification.registration_id == str(course.registration_id(3))]


async def test_a_reminder_for_a_session_moved_meanwhile_is_skipped_for_the_one_of_its_new_time(
        course: Course) -> None:
    await course.publish()
    await course.confirm(1, language="en")
    await course.plan_all_reminders()
    await course.send_due()
    course.editions.editions[str(course.edition_id)] = _with_revision(course, "s1", 5)
    course.clock.current = course.session_start(0) - timedelta(minutes=2880)
    await course.send_due()

    reminders = [m for m in course.mailer.sent if m.content.subject.startswith("Reminder")]
    assert len(reminders) == 1
    skipped = [s for s in course.notifications.of_kind("session_reminder") if s.status == "skipped"]
    assert [s.deliveries[-1]["reason"] for s in skipped] == ["session_moved"]


async def test_waiting_people_get_no_reminders(course: Course) -> None:
    await course.publish()
    await course.waitlist(4, position=1)
    await course.plan_all_reminders()

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
