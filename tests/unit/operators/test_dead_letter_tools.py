"""Which dead letters a command takes, what a redriven or replayed record carries, where a replay may go."""

import pytest

from koos_cli.dlq import DeadLetter, Selection, dlq_topic
from koos_cli.failures import ConfigError
from koos_cli.redrive import MARKER, redriven_headers
from koos_cli.replay import replay_target, replayed_headers
from koos_contracts import to_record, wrap
from koos_contracts.registration import RegisterParticipant
from koos_kit.messaging.dead_letters import dead_letter_headers
from koos_kit.messaging.records import Record
from koos_kit.messaging.retry import ATTEMPT, DUE_AT, GROUP, SOURCE, RetryPolicy, retry_headers
from tests.builders import person

TOPIC = "t1.koos.registration.commands.v1"
EDITION = "7c9e6679-7425-40de-944b-e07fc1f90ae7"


def command_record(topic: str = TOPIC, offset: int = 7) -> Record:
    message = RegisterParticipant(edition_id=EDITION, person=person(1))  # type: ignore[arg-type]
    key, value, headers = to_record(wrap(message, source="/t", organisation_id="org-oslo"))
    return Record(topic, 1, offset, key, value, headers)


def dead_letter(record: Record, reason: str = "handler failed 3 times: boom", error_type: str = "ZeroDivisionError",
                offset: int = 3) -> DeadLetter:
    headers = dead_letter_headers(record, reason, error_type, "t1.koos-registration")
    return DeadLetter(dlq_topic(TOPIC), 0, offset, 1_700_000_000_000, record.key, record.value, headers)


def test_a_dead_letter_says_its_type_reason_error_and_the_record_it_was() -> None:
    summary = dead_letter(command_record()).summary()

    assert summary["type"] == "koos.registration.RegisterParticipant.v1"
    assert (summary["reason"], summary["error_type"]) == ("handler failed 3 times: boom", "ZeroDivisionError")
    assert summary["source"] == f"{TOPIC}/1/7" and summary["consumer"] == "t1.koos-registration"


def test_a_dead_letter_read_from_a_retry_twin_belongs_to_the_topic_itself() -> None:
    retried = Record(f"{TOPIC}.retry", 0, 2, b"k", b"{}", retry_headers(command_record(), "wait", RetryPolicy()))

    assert dead_letter(retried).origin == TOPIC


@pytest.mark.parametrize(("selection", "taken"), [
    (Selection(), True),
    (Selection(from_offset=3, to_offset=3), True),
    (Selection(from_offset=4), False),
    (Selection(to_offset=2), False),
    (Selection(partition=1), False),
    (Selection(types=("koos.registration.*",)), True),
    (Selection(types=("koos.scheduling.*", "koos.registration.RegisterParticipant.v1")), True),
    (Selection(types=("koos.registration.CancelRegistration.v1",)), False),
    (Selection(error_types=("ZeroDivisionError",)), True),
    (Selection(error_types=("MalformedRecord",)), False),
    (Selection(reason="BOOM"), True),
    (Selection(reason="timeout"), False),
    (Selection(reason="boom", error_types=("MalformedRecord",)), False),
])
def test_a_selection_takes_a_dead_letter_only_if_every_condition_holds(selection: Selection, taken: bool) -> None:
    assert selection.matches(dead_letter(command_record())) is taken


def test_a_redriven_record_is_the_original_without_dead_letter_or_retry_headers_and_carries_its_marker() -> None:
    original = command_record()
    retried = Record(f"{TOPIC}.retry", 0, 2, original.key, original.value,
                     retry_headers(original, "edition not known yet", RetryPolicy()))
    letter = dead_letter(retried, offset=11)

    headers = redriven_headers(letter)

    assert [h for h in headers if h[0] != MARKER] == original.headers
    assert (MARKER, letter.dlq("id").encode()) in headers and letter.dlq("id")


def test_a_replayed_record_is_due_now_at_attempt_zero_for_one_group_only() -> None:
    original = command_record()

    headers = dict(replayed_headers(original.headers, f"{TOPIC}/1/7", "t1.koos-registration", now=1000.0))

    assert headers[ATTEMPT] == b"0" and headers[DUE_AT] == b"1000.000"
    assert headers[GROUP] == b"t1.koos-registration" and headers[SOURCE] == f"{TOPIC}/1/7".encode()
    assert headers["ce_type"] == b"koos.registration.RegisterParticipant.v1"


def test_a_replay_goes_to_the_retry_twin_in_the_consuming_services_group() -> None:
    assert replay_target("t1.koos.scheduling.editions.v1", "notifications", "t1.") == (
        "t1.koos.scheduling.editions.v1.retry", "t1.koos-notifications")


@pytest.mark.parametrize(("topic", "service", "message"), [
    ("koos.registration.commands.v1", "scheduling", "scheduling does not consume koos.registration.commands.v1"),
    ("koos.registration.commands.v1", "billing", "no service 'billing'"),
])
def test_a_replay_into_a_service_that_does_not_read_the_topic_is_refused(topic: str, service: str,
                                                                          message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        replay_target(topic, service, "")
