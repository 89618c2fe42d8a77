"""Mongo adapters on the real Mongo-wire server: effects once, atomic claims, an outcome and its event in one write."""

import asyncio
import uuid
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase

from koos_contracts.notifications import NotificationSent
from koos_kit.outbox import OutboxRelay
from koos_notifications.adapters.editions import MongoEditions
from koos_notifications.adapters.notifications import MongoNotifications
from koos_notifications.adapters.participants import MongoParticipants
from koos_notifications.domain.cause import Cause
from koos_notifications.domain.delivery import Failure
from koos_notifications.domain.edition import DatedWorkshop, EditionCopy, SessionMove
from koos_notifications.domain.notification import Notification
from koos_notifications.domain.reminders import plan_reminders
from koos_notifications.service_layer.attempts import Claim
from koos_notifications.service_layer.facts import edition_from, participant_from
from koos_notifications.service_layer.outcomes import envelope_of, sent_event
from tests.builders import LIBRARY, open_course, published
from tests.fakes import FixedClock, RecordingPublisher
from tests.unit.notifications.course import participant

pytestmark = pytest.mark.integration

CAUSE = Cause(event_id="event-1", correlation_id="correlation-1")


@pytest.fixture
async def db(mongo_url: str) -> AsyncIterator[AsyncDatabase[Any]]:
    client: AsyncMongoClient[Any] = AsyncMongoClient(mongo_url, tz_aware=True, uuidRepresentation="standard")
    yield client[f"notifications_{uuid.uuid4().hex[:8]}"]
    await client.close()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime.now(UTC).replace(microsecond=0))


def notifications_of(db: AsyncDatabase[Any], clock: FixedClock) -> tuple[MongoNotifications, RecordingPublisher]:
    publisher = RecordingPublisher()
    relay = OutboxRelay([db["notifications"]], publisher, clock, service="notifications")
    return MongoNotifications(db["notifications"], db["due"], relay, clock), publisher


async def claim_one(store: MongoNotifications, now: datetime, lease_until: datetime) -> Claim | None:
    """The one notification that needs a sender at `now`, claimed; None if none does."""
    claims = await store.claim(now, lease_until, 1)
    return claims[0] if claims else None


def confirmation(n: int, clock: FixedClock, edition_id: str = "e1") -> Notification:
    person = participant_from(participant(n), uuid.uuid4(), uuid.UUID(int=1), "org-oslo", "confirmed", clock.now())
    return Notification.for_event("registration_confirmed", person, CAUSE, clock.now())


async def test_a_notification_stored_twice_is_stored_once(db: AsyncDatabase[Any], clock: FixedClock) -> None:
    store, _ = notifications_of(db, clock)
    await store.ensure_indexes()
    first, second = confirmation(1, clock), confirmation(2, clock)

    assert await store.add([first]) == 1
    assert await store.add([first, second]) == 1
    assert await db["notifications"].count_documents({}) == 2


async def test_concurrent_senders_never_claim_one_notification_twice(db: AsyncDatabase[Any],
                                                                     clock: FixedClock) -> None:
    store, _ = notifications_of(db, clock)
    await store.add([confirmation(n, clock) for n in range(20)])
    lease_until = clock.now() + timedelta(seconds=60)

    claims = await asyncio.gather(*(claim_one(store, clock.now(), lease_until) for _ in range(40)))
    claimed = [c.notification.notification_id for c in claims if c is not None]
    assert len(claimed) == len(set(claimed)) == 20
    assert {c.attempt for c in claims if c is not None} == {1}


async def test_marking_sent_stores_and_publishes_one_sent_event(db: AsyncDatabase[Any], clock: FixedClock) -> None:
    store, publisher = notifications_of(db, clock)
    notification = confirmation(1, clock)
    await store.add([notification])
    claim = await claim_one(store, clock.now(), clock.now() + timedelta(seconds=60))
    assert claim is not None
    envelope = envelope_of(notification, sent_event(notification, clock.now(), 1), clock.now(), "/koos/notifications")

    assert await store.mark_sent(claim, clock.now(), 250, [envelope]) is True
    assert await store.mark_sent(claim, clock.now(), 250, [envelope]) is False
    (sent,) = publisher.messages(NotificationSent)
    assert sent.notification_id == notification.notification_id
    document = await db["notifications"].find_one({"_id": notification.notification_id})
    assert document is not None and document["status"] == "sent"
    assert "lease_until" not in document and "_outbox" not in document
    assert [(d["outcome"], d["code"]) for d in document["deliveries"]] == [("sent", 250)]


async def test_a_deferred_notification_comes_back_when_due(db: AsyncDatabase[Any], clock: FixedClock) -> None:
    store, _ = notifications_of(db, clock)
    await store.add([confirmation(1, clock)])
    claim = await claim_one(store, clock.now(), clock.now() + timedelta(seconds=60))
    assert claim is not None
    await store.retry_later(claim, clock.now(), clock.now() + timedelta(seconds=10),
                            Failure(code=421, error_class="SMTPResponseException"))

    assert await claim_one(store, clock.now() + timedelta(seconds=9), clock.now()) is None
    again = await claim_one(store, clock.now() + timedelta(seconds=10), clock.now() + timedelta(seconds=70))
    assert again is not None and again.attempt == 2


async def test_a_claim_whose_lease_ran_out_is_taken_over_as_in_doubt(db: AsyncDatabase[Any],
                                                                     clock: FixedClock) -> None:
    store, _ = notifications_of(db, clock)
    await store.add([confirmation(1, clock)])
    lost = await claim_one(store, clock.now(), clock.now() + timedelta(seconds=60))

    assert await claim_one(store, clock.now() + timedelta(seconds=59), clock.now()) is None
    taken = await claim_one(store, clock.now() + timedelta(seconds=60), clock.now() + timedelta(seconds=120))
    assert lost is not None and taken is not None and taken.in_doubt and taken.attempt == 2
    assert await store.mark_sent(lost, clock.now(), 250, []) is False
    assert await store.mark_sent(taken, clock.now(), 250, []) is True


async def test_a_notification_stays_in_doubt_until_it_is_found_delivered(db: AsyncDatabase[Any],
                                                                        clock: FixedClock) -> None:
    store, publisher = notifications_of(db, clock)
    await store.ensure_indexes()
    notification = confirmation(1, clock)
    await store.add([notification])
    await claim_one(store, clock.now(), clock.now() + timedelta(seconds=60))
    clock.advance(seconds=60)
    taken = await claim_one(store, clock.now(), clock.now() + timedelta(seconds=60))
    assert taken is not None
    await store.note_resend(taken, clock.now(), "not_received")
    await store.retry_later(taken, clock.now(), clock.now(), Failure(code=None, error_class="SMTPConnectError"))
    again = await claim_one(store, clock.now(), clock.now() + timedelta(seconds=60))
    assert again is not None and again.in_doubt and again.attempt == 3
    envelope = envelope_of(notification, sent_event(notification, clock.now(), 2), clock.now(), "/koos/notifications")

    assert await store.mark_found_delivered(again, clock.now(), [envelope]) is True
    document = await db["notifications"].find_one({"_id": notification.notification_id})
    assert document is not None and document["status"] == "sent" and "in_doubt" not in document
    assert [d["outcome"] for d in document["deliveries"]] == [
        "in_doubt", "in_doubt_resent", "deferred", "in_doubt_found_delivered"]
    assert [e.notification_id for e in publisher.messages(NotificationSent)] == [notification.notification_id]


async def test_an_uncertain_failure_leaves_the_notification_in_doubt(db: AsyncDatabase[Any],
                                                                    clock: FixedClock) -> None:
    store, _ = notifications_of(db, clock)
    await store.add([confirmation(1, clock)])
    claim = await claim_one(store, clock.now(), clock.now() + timedelta(seconds=60))
    assert claim is not None and not claim.in_doubt
    await store.retry_later(claim, clock.now(), clock.now(),
                            Failure(code=None, error_class="SMTPServerDisconnected", uncertain=True))

    again = await claim_one(store, clock.now(), clock.now() + timedelta(seconds=60))
    assert again is not None and again.in_doubt
    document = await db["notifications"].find_one({"_id": claim.notification.notification_id})
    assert document is not None and document["deliveries"][0]["uncertain"] is True


async def test_concurrent_deliveries_of_one_event_change_a_participant_once(db: AsyncDatabase[Any],
                                                                           clock: FixedClock) -> None:
    participants = MongoParticipants(db["participants"])
    await participants.ensure_indexes()
    waiting = participant_from(participant(3), uuid.uuid4(), uuid.UUID(int=1), "org-oslo", "waiting")
    await participants.record(waiting, "waitlisted-1")
    promoted = replace(waiting, status="confirmed", seated_at=clock.now())

    await asyncio.gather(*(participants.record(promoted, "promoted-1") for _ in range(8)),
                         *(participants.cancel(waiting.registration_id, "cancelled-1") for _ in range(8)))
    document = await db["participants"].find_one({"_id": waiting.registration_id})
    assert document is not None and document["version"] == 3
    assert sorted(document["_applied"]) == ["cancelled-1", "promoted-1", "waitlisted-1"]


async def test_a_reschedule_applies_to_the_edition_once(db: AsyncDatabase[Any], clock: FixedClock) -> None:
    editions = MongoEditions(db["editions"])
    event = published(open_course())
    await editions.add(edition_from(event, "org-oslo"))
    await editions.add(edition_from(event, "org-oslo"))
    edition_id = str(event.edition_id)
    moved_start = event.sessions[1].starts_at + timedelta(days=1)
    move = SessionMove("s2", moved_start, moved_start + timedelta(hours=3), LIBRARY, clock.now())

    await editions.move_session(edition_id, move, "reschedule-1")
    await editions.move_session(edition_id, move, "reschedule-1")
    edition = await editions.get(edition_id)
    assert edition is not None
    session = edition.session("s2")
    assert session is not None and session.revision == 1 and session.starts_at == moved_start
    assert session.venue == LIBRARY and [s.revision for s in edition.sessions] == [0, 1, 0]


async def test_an_edition_is_live_while_a_session_is_ahead_and_keeps_its_planned_reminder_times(
        db: AsyncDatabase[Any], clock: FixedClock) -> None:
    editions = MongoEditions(db["editions"])
    await editions.ensure_indexes()
    event = published(open_course())
    edition_id = str(event.edition_id)
    await editions.add(edition_from(event, "org-oslo"))
    await editions.mark_reminded(edition_id, ["s1:2880:0", "s1:120:0"])
    await editions.mark_reminded(edition_id, ["s1:120:0"])
    last_start = event.sessions[-1].starts_at

    (live,) = await editions.live(last_start - timedelta(seconds=1))
    assert live.edition_id == edition_id and live.reminded_slots == {"s1:2880:0", "s1:120:0"}
    assert await editions.live(last_start) == []
    later = last_start + timedelta(days=1)
    await editions.move_session(edition_id, SessionMove("s3", later, later + timedelta(hours=3), LIBRARY,
                                                        clock.now()), "reschedule-1")
    assert [e.edition_id for e in await editions.live(last_start)] == [edition_id]


async def test_participants_and_their_reminders_round_trip(db: AsyncDatabase[Any], clock: FixedClock) -> None:
    participants = MongoParticipants(db["participants"])
    store, _ = notifications_of(db, clock)
    event = published(open_course())
    edition = edition_from(event, "org-oslo")
    seated = participant_from(participant(1, "fi"), uuid.uuid4(), event.edition_id, "org-oslo", "confirmed",
                              clock.now())
    await participants.record(seated, "confirm-1")
    await participants.record(seated, "confirm-1")
    await participants.cancel(seated.registration_id, "cancel-1")
    await participants.record(seated, "confirm-1")

    stored = await participants.get(seated.registration_id)
    assert stored is not None and stored.status == "cancelled" and stored.recipient.name == participant(1).name
    assert await participants.confirmed_in(edition.edition_id) == []
    assert await store.add(plan_reminders(edition, seated, CAUSE, clock.now())) == 6
    assert await store.cancel_reminders(edition.edition_id, "session_cancelled", session_id="s3") == 2
    assert await store.cancel_reminders(edition.edition_id, "registration_cancelled",
                                        registration_id=seated.registration_id) == 4


async def test_a_moved_session_cancels_only_reminders_of_its_older_revisions(db: AsyncDatabase[Any],
                                                                            clock: FixedClock) -> None:
    store, _ = notifications_of(db, clock)
    edition = edition_from(published(open_course()), "org-oslo")
    seated = participant_from(participant(2), uuid.uuid4(), uuid.UUID(edition.edition_id), "org-oslo", "confirmed",
                              clock.now())
    moved = replace(edition, sessions=tuple(replace(s, revision=1) for s in edition.sessions))
    await store.add(plan_reminders(edition, seated, CAUSE, clock.now()))
    await store.add(plan_reminders(moved, seated, CAUSE, clock.now()))

    assert await store.cancel_reminders(edition.edition_id, "session_moved", session_id="s1", except_revision=1) == 2
    pending = await db["notifications"].find({"status": "pending", "details.session_id": "s1"}).to_list(None)
    assert [d["details"]["revision"] for d in pending] == [1, 1]


async def test_a_workshop_day_kept_before_its_programme_leaves_the_programme_copy_whole(
        db: AsyncDatabase[Any], clock: FixedClock) -> None:
    editions = MongoEditions(db["editions"])
    await editions.ensure_indexes()
    starts = clock.now() + timedelta(days=30)
    first = DatedWorkshop("workshop-7", Cause("dated-1", "c-1"), {"starts_at": starts, "blocks": ["09:45–12:30"]})
    again = DatedWorkshop("workshop-7", Cause("dated-2", "c-2"), {"starts_at": starts + timedelta(days=7)})

    await editions.keep_dated_workshop("programme-1", first)
    await editions.add(EditionCopy(edition_id="programme-1", organisation_id="tallinn", title={"et": "Koosloome"},
                                   timezone="Europe/Tallinn", sessions=(), reminder_offsets_minutes=()))
    await editions.keep_dated_workshop("programme-1", again)
    await editions.keep_dated_workshop("programme-1", DatedWorkshop("workshop-8", Cause("dated-3", "c-3")))

    programme = await editions.get("programme-1")
    assert programme is not None and programme.title == {"et": "Koosloome"}
    assert [(d.key, d.cause.event_id) for d in await editions.dated_workshops("programme-1")] == [
        ("workshop-7", "dated-2"), ("workshop-8", "dated-3")]
    assert (await editions.dated_workshops("programme-1"))[0].details == {"starts_at": starts + timedelta(days=7)}
    assert await editions.dated_workshops("programme-2") == []
