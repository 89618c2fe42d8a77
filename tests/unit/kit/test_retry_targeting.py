"""A retry twin is read by every service that consumes the topic; a retried or replayed record is for one group."""

from typing import Any

from koos_contracts import Envelope, to_record, wrap
from koos_contracts.registration import RegisterParticipant
from koos_kit.messaging.dispatcher import Dispatcher
from koos_kit.messaging.records import Record
from koos_kit.messaging.retry import GROUP, RetryPolicy, retry_headers, waiting_headers
from koos_kit.messaging.subscription import Subscription
from tests.builders import person

TOPIC = "koos.registration.commands.v1"
EDITION = "7c9e6679-7425-40de-944b-e07fc1f90ae7"


def on_retry_twin(group: str | None) -> Record:
    message = RegisterParticipant(edition_id=EDITION, person=person(1))  # type: ignore[arg-type]
    key, value, headers = to_record(wrap(message, source="/t", organisation_id="org"))
    if group is not None:
        headers = waiting_headers(headers, attempt=0, due=0.0, reason="replayed", source=f"{TOPIC}/0/4", group=group)
    return Record(f"{TOPIC}.retry", 0, 9, key, value, headers)


def dispatcher_of(group: str, handled: list[Envelope]) -> Dispatcher:
    async def handle(message: Any, envelope: Envelope) -> None:
        handled.append(envelope)

    subscription = Subscription((TOPIC,), {RegisterParticipant.ce_type(): handle}, {})
    return Dispatcher(subscription, service="registration", attempts=1, backoff_seconds=0, group=group)


async def test_a_record_retried_for_another_group_is_passed_by_and_its_offset_still_advances() -> None:
    handled: list[Envelope] = []

    report = await dispatcher_of("koos-registration", handled).dispatch(on_retry_twin("koos-evaluation"))

    assert handled == [] and report.done == {(f"{TOPIC}.retry", 0): 10} and not report.sidelined


async def test_a_record_retried_for_this_group_or_for_nobody_in_particular_is_handled() -> None:
    handled: list[Envelope] = []
    dispatcher = dispatcher_of("koos-registration", handled)

    await dispatcher.dispatch(on_retry_twin("koos-registration"))
    await dispatcher.dispatch(on_retry_twin(None))

    assert len(handled) == 2


def test_a_retry_names_the_group_that_set_it_aside_and_counts_the_attempt() -> None:
    record = on_retry_twin(None)

    headers = dict(retry_headers(record, "edition unknown", RetryPolicy(2.0, 5), now=100.0, group="koos-evaluation"))

    assert headers[GROUP] == b"koos-evaluation" and headers["koos_retry_attempt"] == b"1"
    assert headers["koos_retry_due_at"] == b"102.000"
