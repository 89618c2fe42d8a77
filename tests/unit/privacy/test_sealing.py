"""Personal fields are sealed on the wire with their person's key and opened in memory; once the key is gone,
every copy opens to a placeholder and the plain text is nowhere in the record."""

import json
from datetime import UTC, datetime
from uuid import uuid4

from koos_contracts import from_record, parse, to_record, wrap
from koos_contracts.evaluation import SubmitFeedback
from koos_contracts.registration import RegisterParticipant, RegistrationConfirmed, SeatsChanged
from koos_contracts.teams import ApplyWithTeam, TeamMember
from koos_contracts.values import Participant, Person
from koos_kit.messaging.records import Record
from koos_kit.privacy import ERASED_NAME, KeyRing, KeyWrapper, erased_address, is_erased_address
from koos_kit.privacy.sealing import KeyIssuer, PersonalData

ORG = "oslo-kommune"
SUBJECT = "c0ffee00-0000-4000-8000-000000000001"
NAME, EMAIL = "Åse Nørgaard-Ødegård", "ase.norgaard@oslo.kommune.no"


def _ring_with_key() -> KeyRing:
    ring = KeyRing()
    KeyIssuer(ring, KeyWrapper("a-key-encryption-key-of-some-length"), "/koos/test").issued(SUBJECT, ORG)
    return ring


def _confirmed() -> RegistrationConfirmed:
    participant = Participant(email=EMAIL, name=NAME, language="nb", person_id=SUBJECT)
    return RegistrationConfirmed(registration_id=uuid4(), edition_id=uuid4(), participant=participant,
                                 confirmed_at=datetime(2026, 5, 1, tzinfo=UTC))


def _on_the_wire(message: object, ring: KeyRing) -> bytes:
    envelope = PersonalData(ring).seal(wrap(message, source="/koos/test", organisation_id=ORG))  # type: ignore[arg-type]
    return to_record(envelope)[1]


def _read(value: bytes, headers: list[tuple[str, bytes]], ring: KeyRing) -> object:
    return parse(PersonalData(ring).open(from_record(value, headers)))


def test_a_participants_name_and_address_travel_sealed_and_come_back_whole() -> None:
    ring = _ring_with_key()
    envelope = wrap(_confirmed(), source="/koos/test", organisation_id=ORG)
    _, value, headers = to_record(PersonalData(ring).seal(envelope))
    assert NAME.encode() not in value and EMAIL.encode() not in value and b"Nrgaard" not in value
    wire = json.loads(value)["participant"]
    assert wire["name"]["sealed"] == "A256GCM" and wire["name"]["subject"] == SUBJECT
    assert wire["language"] == "nb" and wire["person_id"] == SUBJECT
    read = _read(value, headers, ring)
    assert read == _confirmed().model_copy(update={"registration_id": read.registration_id,  # type: ignore[attr-defined]
                                                   "edition_id": read.edition_id})  # type: ignore[attr-defined]


def test_a_command_s_person_is_sealed_with_the_subject_it_names_and_a_comment_with_its_writer_s() -> None:
    ring = _ring_with_key()
    command = RegisterParticipant(edition_id=uuid4(), person=Person(email=EMAIL, name=NAME, subject_id=SUBJECT))
    assert EMAIL.encode() not in _on_the_wire(command, ring)
    feedback = SubmitFeedback(edition_id=uuid4(), person_id=SUBJECT, ratings={"q1": 4},
                              comment="Jeg lærte hvor mye innsiktsfasen betyr")
    value = _on_the_wire(feedback, ring)
    assert b"innsiktsfasen" not in value and json.loads(value)["ratings"] == {"q1": 4}


def test_a_team_leads_address_is_sealed_with_the_subject_named_beside_it_and_reads_as_erased_after() -> None:
    ring = _ring_with_key()
    member = TeamMember(person=Person(email=EMAIL, name=NAME, subject_id=SUBJECT), organisation="MTÜ",
                        role="ngo_leader")
    command = ApplyWithTeam(programme_id=uuid4(), team_id=uuid4(), name="Tartu team", lead_email=EMAIL, ngo="MTÜ",
                            idea="Peer support for families", members=(member,), lead_subject_id=SUBJECT)
    _, wire, headers = to_record(PersonalData(ring).seal(wrap(command, source="/koos/test", organisation_id=ORG)))
    assert EMAIL.encode() not in wire and json.loads(wire)["lead_email"]["subject"] == SUBJECT
    assert _read(wire, headers, ring) == command
    ring.erase(SUBJECT)
    assert is_erased_address(_read(wire, headers, ring).lead_email)  # type: ignore[attr-defined]


def test_once_the_key_is_erased_every_copy_opens_to_a_placeholder_nobody_can_mail() -> None:
    ring = _ring_with_key()
    _, value, headers = to_record(PersonalData(ring).seal(wrap(_confirmed(), source="/t", organisation_id=ORG)))
    ring.erase(SUBJECT)
    read = _read(value, headers, ring)
    assert read.participant.name == ERASED_NAME  # type: ignore[attr-defined]
    assert read.participant.email == erased_address(SUBJECT)  # type: ignore[attr-defined]
    assert is_erased_address(read.participant.email)  # type: ignore[attr-defined]


def test_a_record_sealed_with_another_subject_s_key_does_not_open() -> None:
    ring = _ring_with_key()
    _, value, headers = to_record(PersonalData(ring).seal(wrap(_confirmed(), source="/t", organisation_id=ORG)))
    forged = json.loads(value)
    forged["participant"]["name"]["subject"] = "someone-else"
    other = _ring_with_key()
    other.keys["someone-else"] = ring.keys[SUBJECT]
    read = _read(json.dumps(forged).encode(), headers, other)
    assert read.participant.name == ERASED_NAME  # type: ignore[attr-defined]


def test_a_subject_without_a_key_travels_plain_and_plain_records_are_read_as_before() -> None:
    ring = KeyRing()
    _, value, headers = to_record(PersonalData(ring).seal(wrap(_confirmed(), source="/t", organisation_id=ORG)))
    assert NAME.encode() in value
    assert _read(value, headers, _ring_with_key()).participant.name == NAME  # type: ignore[attr-defined]
    seats = SeatsChanged(edition_id=uuid4(), capacity=30, taken=3, in_line=0, sequence=1)
    assert json.loads(_on_the_wire(seats, _ring_with_key()))["taken"] == 3


def test_a_wrapped_key_opens_only_with_its_key_encryption_key() -> None:
    wrapper = KeyWrapper("a-key-encryption-key-of-some-length")
    wrapped, nonce = wrapper.wrap(SUBJECT, b"k" * 32)
    assert wrapper.unwrap(SUBJECT, wrapped, nonce) == b"k" * 32
    try:
        KeyWrapper("another-key-encryption-key-entirely").unwrap(SUBJECT, wrapped, nonce)
    except Exception as error:
        assert type(error).__name__ == "InvalidTag"
    else:
        raise AssertionError("a wrong key-encryption key opened a data key")


async def test_records_sealed_with_unknown_keys_wait_for_the_ring_to_catch_up() -> None:
    ring = _ring_with_key()
    _, value, headers = to_record(PersonalData(ring).seal(wrap(_confirmed(), source="/t", organisation_id=ORG)))

    class Feed:
        caught_up = 0

        async def catch_up(self) -> None:
            self.caught_up += 1

    feed = Feed()
    personal = PersonalData(KeyRing(), feed)  # type: ignore[arg-type]
    await personal.prepare([Record("t", 0, 0, None, value, headers)])
    assert feed.caught_up == 1
