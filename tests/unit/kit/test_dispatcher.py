"""The dispatcher runs each record's handler at least once and never blocks a partition on poison."""

from typing import Any

import pytest

from koos_contracts import Envelope, to_record, wrap
from koos_contracts.registration import CancelRegistration, RegisterParticipant
from koos_kit.errors import RetryLater
from koos_kit.messaging.dispatcher import Dispatcher, Subscription
from koos_kit.messaging.records import Record
from tests.builders import person

EDITION = "7c9e6679-7425-40de-944b-e07fc1f90ae7"


class RecordingSink:
    def __init__(self) -> None:
        self.dead: list[tuple[Record, str, str]] = []

    async def send(self, record: Record, reason: str, error_type: str) -> None:
        self.dead.append((record, reason, error_type))


def record_of(message: Any, offset: int = 0) -> Record:
    key, value, headers = to_record(wrap(message, source="/t", organisation_id="org"))
    return Record("koos.registration.commands.v1", 0, offset, key, value, headers)


def registration() -> RegisterParticipant:
    return RegisterParticipant(edition_id=EDITION, person=person(1))  # type: ignore[arg-type]


def dispatcher(handler: Any, sink: RecordingSink, **options: Any) -> Dispatcher:
    subscription = Subscription(("koos.registration.commands.v1",), {RegisterParticipant.ce_type(): handler},
                                **options)
    return Dispatcher(subscription, sink, service="test", attempts=3, backoff_seconds=0)


async def test_a_handler_that_keeps_failing_is_dead_lettered_after_its_attempts() -> None:
    calls: list[Envelope] = []

    async def broken(message: Any, envelope: Envelope) -> None:
        calls.append(envelope)
        raise ZeroDivisionError("bug")

    sink = RecordingSink()
    await dispatcher(broken, sink).dispatch(record_of(registration()))

    assert len(calls) == 3
    ((_, reason, error_type),) = sink.dead
    assert reason == "handler failed 3 times: ZeroDivisionError: bug" and error_type == "ZeroDivisionError"


async def test_a_handler_that_fails_once_succeeds_on_retry_without_dead_letter() -> None:
    calls: list[int] = []

    async def flaky(message: Any, envelope: Envelope) -> None:
        calls.append(1)
        if len(calls) == 1:
            raise ValueError("first time")

    sink = RecordingSink()
    await dispatcher(flaky, sink).dispatch(record_of(registration()))
    assert len(calls) == 2 and sink.dead == []


async def test_a_transient_failure_is_raised_for_redelivery_not_dead_lettered() -> None:
    async def database_down(message: Any, envelope: Envelope) -> None:
        raise RetryLater("mongo is down")

    sink = RecordingSink()
    with pytest.raises(RetryLater):
        await dispatcher(database_down, sink).dispatch(record_of(registration()))
    assert sink.dead == []


async def test_a_command_nobody_handles_is_dead_lettered_on_a_command_topic() -> None:
    sink = RecordingSink()
    cancel = CancelRegistration(edition_id=EDITION, registration_id=EDITION)  # type: ignore[arg-type]
    await dispatcher(None, sink, dead_letter_unhandled=True).dispatch(record_of(cancel))
    assert sink.dead[0][1] == "no handler for koos.registration.CancelRegistration.v1"


async def test_an_event_nobody_handles_is_skipped_on_an_event_topic() -> None:
    sink = RecordingSink()
    cancel = CancelRegistration(edition_id=EDITION, registration_id=EDITION)  # type: ignore[arg-type]
    await dispatcher(None, sink).dispatch(record_of(cancel))
    assert sink.dead == []
