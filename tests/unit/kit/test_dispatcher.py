"""The dispatcher handles each record at least once, sets aside poison and waiting records, never redoes a record."""

from collections.abc import Sequence
from typing import Any

from koos_contracts import Envelope, to_record, wrap
from koos_contracts.registration import CancelRegistration, RegisterParticipant
from koos_kit.errors import NotYet, RetryLater
from koos_kit.messaging.dispatcher import Dispatcher
from koos_kit.messaging.records import Record
from koos_kit.messaging.retry import ATTEMPT, RetryPolicy
from koos_kit.messaging.subscription import Delivery, Subscription, Waiting
from tests.builders import person

EDITION = "7c9e6679-7425-40de-944b-e07fc1f90ae7"
TOPIC = "koos.registration.commands.v1"


def record_of(message: Any, offset: int = 0, partition: int = 0, topic: str = TOPIC) -> Record:
    key, value, headers = to_record(wrap(message, source="/t", organisation_id="org"))
    return Record(topic, partition, offset, key, value, headers)


def poison(offset: int, partition: int = 0) -> Record:
    return Record(TOPIC, partition, offset, b"k", b"{not json", [("ce_type", b"x")])


def registration(n: int = 1) -> RegisterParticipant:
    return RegisterParticipant(edition_id=EDITION, person=person(n))  # type: ignore[arg-type]


def cancellation() -> CancelRegistration:
    return CancelRegistration(edition_id=EDITION, registration_id=EDITION)  # type: ignore[arg-type]


def dispatcher(handler: Any = None, *, batch: Any = None, **options: Any) -> Dispatcher:
    handlers = {RegisterParticipant.ce_type(): handler} if handler else {}
    batches = {RegisterParticipant.ce_type(): batch, CancelRegistration.ce_type(): batch} if batch else {}
    subscription = Subscription((TOPIC,), handlers, batches, **options)
    return Dispatcher(subscription, service="test", attempts=3, backoff_seconds=0, retry=RetryPolicy(0, 2))


async def test_a_handler_that_keeps_failing_is_dead_lettered_after_its_attempts() -> None:
    calls: list[Envelope] = []

    async def broken(message: Any, envelope: Envelope) -> None:
        calls.append(envelope)
        raise ZeroDivisionError("bug")

    report = await dispatcher(broken).dispatch(record_of(registration()))

    assert len(calls) == 3
    (dead,) = report.dead_letters()
    assert dead.reason == "handler failed 3 times: ZeroDivisionError: bug" and dead.error_type == "ZeroDivisionError"
    assert report.done == {(TOPIC, 0): 1}


async def test_a_handler_that_fails_once_succeeds_on_retry_without_dead_letter() -> None:
    calls: list[int] = []

    async def flaky(message: Any, envelope: Envelope) -> None:
        calls.append(1)
        if len(calls) == 1:
            raise ValueError("first time")

    report = await dispatcher(flaky).dispatch(record_of(registration()))
    assert len(calls) == 2 and report.sidelined == []


async def test_a_failing_dependency_stalls_its_partition_at_that_record_and_keeps_what_came_before() -> None:
    seen: list[int] = []

    async def database_down_at_offset_2(message: Any, envelope: Envelope) -> None:
        if message.person.name.endswith(" 2"):
            raise RetryLater("mongo is down")
        seen.append(1)

    records = [record_of(registration(n), offset=n) for n in range(4)] + [record_of(registration(5), 0, partition=1)]
    report = await dispatcher(database_down_at_offset_2).dispatch_batch(records)

    assert report.done == {(TOPIC, 0): 2, (TOPIC, 1): 1}
    assert report.rewind == {(TOPIC, 0): 2}
    assert report.sidelined == [] and len(seen) == 3


async def test_a_record_that_must_wait_goes_to_the_retry_twin_and_the_records_behind_it_go_on() -> None:
    async def edition_unknown_for_1(message: Any, envelope: Envelope) -> None:
        if message.person.name.endswith(" 1"):
            raise NotYet("the edition is not known yet")

    report = await dispatcher(edition_unknown_for_1).dispatch_batch(
        [record_of(registration(n), offset=n) for n in range(3)])

    (waiting,) = report.retries()
    assert waiting.record.offset == 1 and waiting.reason == "the edition is not known yet"
    assert report.done == {(TOPIC, 0): 3} and report.rewind == {}


async def test_a_record_still_waiting_after_its_retries_is_dead_lettered_with_the_reason() -> None:
    async def never_known(message: Any, envelope: Envelope) -> None:
        raise NotYet("the edition is not known yet")

    twice = record_of(registration(), topic=TOPIC + ".retry")
    twice = Record(twice.topic, 0, 0, twice.key, twice.value, [*twice.headers, (ATTEMPT, b"2")])
    report = await dispatcher(never_known).dispatch(twice)

    (dead,) = report.dead_letters()
    assert dead.reason == "still waiting after 2 retries: the edition is not known yet"


async def test_consecutive_batch_records_are_decided_together_in_order_around_poison() -> None:
    batches: list[list[int]] = []

    async def decide(deliveries: Sequence[Delivery]) -> Sequence[Waiting]:
        batches.append([d.record.offset for d in deliveries])
        return [Waiting(d, "later") for d in deliveries if d.record.offset == 4]

    records = [record_of(registration(), 0), record_of(cancellation(), 1), poison(2),
               record_of(registration(), 3), record_of(registration(), 4)]
    report = await dispatcher(batch=decide, dead_letter_unhandled=True).dispatch_batch(records)

    assert batches == [[0, 1], [3, 4]]
    assert [s.record.offset for s in report.dead_letters()] == [2]
    assert [s.record.offset for s in report.retries()] == [4]
    assert report.done == {(TOPIC, 0): 5}


async def test_a_record_nested_too_deeply_to_parse_is_dead_lettered_and_the_records_behind_it_are_decided() -> None:
    decided: list[int] = []

    async def decide(deliveries: Sequence[Delivery]) -> Sequence[Waiting]:
        decided.extend(d.record.offset for d in deliveries)
        return []

    deep = Record(TOPIC, 0, 1, b"k", b'{"a":' * 50_000 + b"1" + b"}" * 50_000,
                  [("ce_type", RegisterParticipant.ce_type().encode())])
    records = [record_of(registration(1), 0), deep, record_of(registration(2), 2)]
    report = await dispatcher(batch=decide, dead_letter_unhandled=True).dispatch_batch(records)

    (dead,) = report.dead_letters()
    assert dead.record.offset == 1 and "nested deeper" in dead.reason
    assert decided == [0, 2] and report.done == {(TOPIC, 0): 3}


async def test_a_batch_handler_that_breaks_is_run_record_by_record_so_only_the_bad_one_is_dead_lettered() -> None:
    async def decide(deliveries: Sequence[Delivery]) -> Sequence[Waiting]:
        if any(d.record.offset == 1 for d in deliveries):
            raise KeyError("bug on offset 1")
        return []

    report = await dispatcher(batch=decide).dispatch_batch([record_of(registration(), n) for n in range(3)])

    assert [s.record.offset for s in report.dead_letters()] == [1]
    assert report.done == {(TOPIC, 0): 3}


async def test_a_command_nobody_handles_is_dead_lettered_on_a_command_topic() -> None:
    report = await dispatcher(dead_letter_unhandled=True).dispatch(record_of(cancellation()))
    assert report.dead_letters()[0].reason == "no handler for koos.registration.CancelRegistration.v1"


async def test_an_event_nobody_handles_is_skipped_on_an_event_topic() -> None:
    report = await dispatcher().dispatch(record_of(cancellation()))
    assert report.sidelined == [] and report.done == {(TOPIC, 0): 1}


async def test_a_malformed_record_of_a_type_nobody_here_handles_is_skipped_on_an_event_topic() -> None:
    report = await dispatcher(batch=None).dispatch(poison(0))
    assert report.sidelined == [] and report.done == {(TOPIC, 0): 1}
