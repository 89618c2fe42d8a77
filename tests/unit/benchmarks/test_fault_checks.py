"""The fault suite's checks fail on what they exist to catch: an effect applied twice or lost, a command answered
twice, a mail sent twice, poison missing from the DLQ; and its plain seat rule promotes from the head of the line."""

from pathlib import Path

from benchmarks.faults import checks
from benchmarks.faults.mailbox import Mailbox
from benchmarks.faults.model import ExpectedLists
from benchmarks.faults.poison import DeadLetter, Poison
from benchmarks.faults.rush import EditionRush, Sent, Traffic
from benchmarks.faults.watch import Seen
from koos_contracts.base import Message
from koos_contracts.registration import (
    RegistrationCancelled,
    RegistrationConfirmed,
    RegistrationPromoted,
    RegistrationUnchanged,
    RegistrationWaitlisted,
)

EDITION = "e1"


def seen(event_id: str, kind: type[Message], subject: str, causation: str = "") -> Seen:
    return Seen(0, 0, 0.0, event_id, kind.ce_type(), subject, causation, EDITION)


def rush_of(*steps: str, capacity: int = 1) -> EditionRush:
    """Sign-ups ("r1") and cancellations ("-r1") in order."""
    rush = EditionRush(None, EDITION, ExpectedLists(capacity))  # type: ignore[arg-type]
    for step in steps:
        if step.startswith("-"):
            rush.expected.cancel(step[1:])
        else:
            rush.expected.register(step)
            rush.people[step] = f"{step}@x.example"
    return rush


def test_a_seat_given_up_goes_to_the_first_in_line_and_the_line_keeps_its_order() -> None:
    lists = rush_of("a", "b", "c", "d", "-a", "-c", capacity=1).expected
    assert (lists.seated, lists.line, lists.promoted, lists.cancelled) == (["b"], ["d"], ["b"], ["a", "c"])
    assert [lists.mails(r) for r in "abcd"] == [2, 2, 2, 1]


def test_every_effect_published_once_passes_and_a_second_event_for_one_effect_fails() -> None:
    rush = rush_of("a", "b", "-a")
    once = [seen("1", RegistrationConfirmed, "a"), seen("2", RegistrationWaitlisted, "b"),
            seen("3", RegistrationCancelled, "a"), seen("4", RegistrationPromoted, "b"),
            seen("4", RegistrationPromoted, "b")]  # the same event read twice is one effect
    assert checks.effects([rush], once)[0].ok
    assert not checks.effects([rush], [*once, seen("5", RegistrationPromoted, "b")])[0].ok
    assert not checks.effects([rush], once[1:])[0].ok


def test_a_command_without_an_outcome_or_with_two_fails() -> None:
    traffic = Traffic(accepted=[Sent("c1", "a", EDITION, 0.0, "sign-up"), Sent("c2", "a", EDITION, 0.0, "sign-up")])
    answered = [seen("1", RegistrationConfirmed, "a", "c1"), seen("2", RegistrationUnchanged, "a", "c2")]
    assert checks.commands(traffic, answered)[1].ok
    assert not checks.commands(traffic, answered[:1])[1].ok
    assert not checks.commands(traffic, [*answered, seen("3", RegistrationUnchanged, "a", "c2")])[1].ok


def test_a_message_id_twice_in_the_mailbox_or_a_mail_missing_fails(tmp_path: Path) -> None:
    rush = rush_of("a")
    (tmp_path / "new").mkdir()

    def deliver(name: str, message_id: str) -> None:
        (tmp_path / "new" / name).write_bytes(f"To: A <a@x.example>\r\nMessage-ID: {message_id}\r\n\r\nhi".encode())

    def holds(*events: Seen) -> bool:
        return checks.mails(Mailbox(tmp_path, "x.example"), [rush], events)[0].ok

    assert not holds()
    deliver("1", "<m1@koos>")
    assert holds()
    deliver("2", "<m1@koos>")
    assert not holds()
    deliver("2", "<m2@koos>")
    assert not holds() and holds(seen("9", RegistrationUnchanged, "a"))  # a repeated sign-up mails the links again


def test_poison_missing_from_the_dlq_or_without_a_reason_fails() -> None:
    sent = [Poison("p1", "random bytes", "t"), Poison("p2", "bad headers", "t")]
    letters = [DeadLetter("p1", "d1", "value is not JSON"), DeadLetter("p2", "d2", "unknown message type")]
    assert checks.poison(sent, letters)[0].ok
    assert not checks.poison(sent, letters[:1])[0].ok
    assert not checks.poison(sent, [letters[0], DeadLetter("p2", "d2", "")])[0].ok
    assert not checks.poison(sent, [*letters, DeadLetter("p2", "d3", "again")])[0].ok


def test_a_repeated_cancellation_calls_for_no_mail_of_links(tmp_path: Path) -> None:
    rush = rush_of("a")
    (tmp_path / "new").mkdir()
    (tmp_path / "new" / "1").write_bytes(b"To: A <a@x.example>\r\nMessage-ID: <m1@koos>\r\n\r\nhi")
    cancelled_again = Seen(0, 0, 0.0, "9", RegistrationUnchanged.ce_type(), "a", "", EDITION, status="cancelled")

    assert checks.mails(Mailbox(tmp_path, "x.example"), [rush], [cancelled_again])[0].ok
    assert not checks.mails(Mailbox(tmp_path, "x.example"), [rush], [seen("9", RegistrationUnchanged, "a")])[0].ok
