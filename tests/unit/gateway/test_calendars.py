"""iCalendar feeds: per edition (public) and per participant; every change raises SEQUENCE, as in the mails."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from icalendar import Calendar

from koos_contracts.scheduling import PublishEdition, SessionCancelled, SessionRescheduled
from koos_kit.ical import session_uid
from tests.builders import CITY_HALL, LIBRARY, person
from tests.unit.gateway.harness import Gateway, event, staff_token


@dataclass(frozen=True)
class Entry:
    """A VEVENT as a calendar app reads it."""

    sequence: int
    status: str
    start: datetime
    location: str
    summary: str


def sessions_in(document: bytes) -> dict[str, Entry]:
    """Each VEVENT by its UID."""
    return {str(e["UID"]): Entry(int(e.decoded("SEQUENCE")), str(e["STATUS"]), e.decoded("DTSTART"), str(e["LOCATION"]),
                                 str(e["SUMMARY"]))
            for e in Calendar.from_ical(document).walk("VEVENT")}


def moved(plan: PublishEdition, session: int, to: datetime) -> SessionRescheduled:
    return SessionRescheduled(edition_id=plan.edition_id, session_id=f"s{session}", starts_at=to,
                              ends_at=to + timedelta(hours=3), venue=LIBRARY, previous_starts_at=to,
                              previous_ends_at=to, previous_venue=CITY_HALL)


async def test_the_edition_feed_lists_every_session_under_the_uids_the_mails_use(gateway: Gateway) -> None:
    plan = await gateway.publish_edition()

    answer = await gateway.client.get(f"/v1/editions/{plan.edition_id}/calendar.ics")

    assert answer.headers["content-type"].startswith("text/calendar")
    found = sessions_in(answer.content)
    assert set(found) == {session_uid(plan.edition_id, f"s{n}") for n in (1, 2, 3)}
    assert {f.sequence for f in found.values()} == {0}
    assert all(f.location.startswith("Rådhuset, møterom 3") for f in found.values())


async def test_a_rescheduled_session_moves_in_the_feed_with_a_higher_sequence(gateway: Gateway) -> None:
    plan = await gateway.publish_edition()
    new_start = datetime(2030, 6, 4, 7, 0, tzinfo=UTC)
    rescheduled = event(moved(plan, 2, new_start))
    await gateway.deliver(rescheduled)
    await gateway.deliver(rescheduled)

    found = sessions_in((await gateway.client.get(f"/v1/editions/{plan.edition_id}/calendar.ics")).content)

    session = found[session_uid(plan.edition_id, "s2")]
    assert session.sequence == 1
    assert session.start == new_start
    assert session.location.startswith("Deichman Bjørvika")


async def test_a_cancelled_session_stays_in_the_feed_marked_cancelled(gateway: Gateway) -> None:
    plan = await gateway.publish_edition()
    await gateway.deliver(event(SessionCancelled(edition_id=plan.edition_id, session_id="s3",
                                                 starts_at=datetime.now(UTC), reason="the venue is closed")))

    found = sessions_in((await gateway.client.get(f"/v1/editions/{plan.edition_id}/calendar.ics")).content)

    cancelled, untouched = found[session_uid(plan.edition_id, "s3")], found[session_uid(plan.edition_id, "s1")]
    assert (cancelled.status, cancelled.sequence) == ("CANCELLED", 1)
    assert (untouched.status, untouched.sequence) == ("CONFIRMED", 0)


async def test_titles_follow_the_requested_language_with_english_as_fallback(gateway: Gateway) -> None:
    plan = await gateway.publish_edition()
    feed = f"/v1/editions/{plan.edition_id}/calendar.ics"

    norwegian = sessions_in((await gateway.client.get(feed, params={"lang": "nb"})).content)
    finnish = sessions_in((await gateway.client.get(feed, params={"lang": "fi"})).content)

    assert {s.summary for s in norwegian.values()} == {"Introduksjon til tjenestedesign"}
    assert {s.summary for s in finnish.values()} == {"Introduction to service design"}


async def test_a_participants_feed_has_the_sessions_of_confirmed_registrations_only(gateway: Gateway) -> None:
    confirmed = await gateway.publish_edition()
    waiting = await gateway.publish_edition()
    await gateway.registration_event(confirmed, person(1))
    await gateway.registration_event(waiting, person(1), queue_number=1)

    token = gateway.participant_token(person(1), confirmed)
    answer = await gateway.client.get("/v1/me/calendar.ics", params={"token": token})

    found = sessions_in(answer.content)
    assert set(found) == {session_uid(confirmed.edition_id, f"s{n}") for n in (1, 2, 3)}
    assert {s.summary for s in found.values()} == {"Introduksjon til tjenestedesign"}


async def test_a_participants_feed_follows_a_reschedule(gateway: Gateway) -> None:
    plan = await gateway.publish_edition()
    await gateway.registration_event(plan, person(1))
    await gateway.deliver(event(moved(plan, 1, datetime(2030, 6, 4, 7, 0, tzinfo=UTC))))

    token = gateway.participant_token(person(1), plan)
    answer = await gateway.client.get("/v1/me/calendar.ics", params={"token": token})

    assert sessions_in(answer.content)[session_uid(plan.edition_id, "s1")].sequence == 1


async def test_a_participant_feed_needs_a_valid_participant_token(gateway: Gateway) -> None:
    invalid = await gateway.client.get("/v1/me/calendar.ics", params={"token": "forged"})
    staff_only = await gateway.client.get("/v1/me/calendar.ics", params={"token": staff_token()})

    assert invalid.status_code == 401
    assert staff_only.status_code == 403
