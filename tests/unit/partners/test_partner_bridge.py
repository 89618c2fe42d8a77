"""The partner bridge's decisions: the topic proves the organisation, only partner commands pass, results go home."""

import json
from datetime import UTC, datetime
from uuid import uuid4

from koos_contracts import from_record, parse, to_record, wrap
from koos_contracts.evaluation import FeedbackRecorded
from koos_contracts.identity import person_id_for
from koos_contracts.registration import CancelRegistration, RegisterParticipant, RegistrationConfirmed
from koos_contracts.topics import RECORD_LIMIT_BYTES, REGISTRATION_COMMANDS, SIDELINED_LIMIT_BYTES, PartnerTopics
from koos_contracts.values import Participant
from koos_gateway.service_layer.partner_bridge import PartnerBridge
from koos_gateway.service_layer.partner_sealing import sealed_inward
from koos_kit.messaging.records import Record
from koos_kit.privacy import KeyRing, KeyWrapper
from koos_kit.privacy.sealing import KeyIssuer, PersonalData
from tests.builders import open_course, person
from tests.unit.gateway.fakes import FakePeople

PREFIX = "t1a2b3c4d5."
HELSINKI = PartnerTopics("helsingin-kaupunki")
bridge = PartnerBridge(PREFIX, "t1a2b3c4d5.koos-gateway-partners")


def record_on(topic: str, message: object, organisation_id: str | None, **attributes: str) -> Record:
    key, value, headers = to_record(wrap(message, source="/hr", organisation_id=organisation_id or "x",
                                         **attributes))  # type: ignore[arg-type]
    if organisation_id is None:
        headers = [(k, v) for k, v in headers if k != "ce_organisationid"]
    return Record(topic, 0, 7, key, value, headers)


def enrol() -> RegisterParticipant:
    return RegisterParticipant(edition_id=uuid4(), person=person(1, "fi"))


def headers_of(record: Record | object) -> dict[str, str]:
    return {k: v.decode() for k, v in record.headers}  # type: ignore[attr-defined]


def test_a_partner_command_is_forwarded_to_the_owning_service_unchanged_with_its_own_id() -> None:
    consumed = record_on(PREFIX + HELSINKI.commands, enrol(), "helsingin-kaupunki", event_id="hr-1")

    forwarded = bridge.inbound(consumed)

    assert forwarded.outcome == "forwarded"
    assert forwarded.topic == PREFIX + REGISTRATION_COMMANDS.name
    assert (forwarded.key, forwarded.value) == (consumed.key, consumed.value)
    assert headers_of(forwarded)["ce_id"] == "hr-1"
    assert headers_of(forwarded)["ce_organisationid"] == "helsingin-kaupunki"


def test_the_organisation_comes_from_the_topic_when_the_partner_leaves_it_out() -> None:
    forwarded = bridge.inbound(record_on(PREFIX + HELSINKI.commands, enrol(), None))

    assert forwarded.outcome == "forwarded"
    assert headers_of(forwarded)["ce_organisationid"] == "helsingin-kaupunki"


def test_a_record_without_a_key_is_keyed_by_its_partition_key_so_an_edition_stays_in_order() -> None:
    command = enrol()
    keyless = record_on(PREFIX + HELSINKI.commands, command, None)

    forwarded = bridge.inbound(Record(keyless.topic, 0, 1, None, keyless.value, keyless.headers))

    assert forwarded.key == str(command.edition_id).encode()


def test_a_record_claiming_another_organisation_is_dead_lettered_with_the_reason() -> None:
    consumed = record_on(PREFIX + HELSINKI.commands, enrol(), "espoon-kaupunki")

    dead = bridge.inbound(consumed)

    assert dead.outcome == "dead_lettered"
    assert dead.topic == PREFIX + HELSINKI.commands_dlq
    headers = headers_of(dead)
    assert headers["koos_dlq_error_type"] == "OrganisationMismatch"
    assert "'espoon-kaupunki' is not 'helsingin-kaupunki'" in headers["koos_dlq_reason"]
    assert headers["ce_organisationid"] == "espoon-kaupunki", "the original claim is kept for the record"
    assert headers["koos_dlq_source_topic"] == consumed.topic and dead.value == consumed.value


def test_only_the_commands_a_partner_may_send_pass() -> None:
    cancel = CancelRegistration(edition_id=uuid4(), registration_id=uuid4())
    assert bridge.inbound(record_on(PREFIX + HELSINKI.commands, cancel, None)).outcome == "forwarded"

    dead = bridge.inbound(record_on(PREFIX + HELSINKI.commands, open_course(), None))

    assert dead.outcome == "dead_lettered"
    assert headers_of(dead)["koos_dlq_error_type"] == "NotAPartnerCommand"
    assert "PublishEdition.v1 is not a command a partner may send" in headers_of(dead)["koos_dlq_reason"]


def test_a_command_too_large_for_a_koos_topic_once_forwarded_is_dead_lettered_not_retried_for_ever() -> None:
    consumed = record_on(PREFIX + HELSINKI.commands, enrol(), None)
    padded = json.loads(consumed.value or b"")
    padded["notes_of_the_partner"] = "x" * (RECORD_LIMIT_BYTES - len(consumed.value or b"") - 2_000)
    big = Record(consumed.topic, 0, 8, consumed.key, json.dumps(padded).encode(), consumed.headers)
    assert len(big.value or b"") < RECORD_LIMIT_BYTES, "the partner's topic took it"

    forwarded = bridge.inbound(big)
    assert forwarded.outcome == "forwarded", "a tolerant reader ignores the extra field"
    dead = bridge.fitted(forwarded, big)

    assert dead.outcome == "dead_lettered" and dead.topic == PREFIX + HELSINKI.commands_dlq
    assert headers_of(dead)["koos_dlq_error_type"] == "RecordTooLarge"
    assert "a Koos command topic takes at most" in headers_of(dead)["koos_dlq_reason"]
    assert dead.value == big.value and dead.size <= SIDELINED_LIMIT_BYTES
    small = bridge.inbound(consumed)
    assert bridge.fitted(small, consumed) is small


def test_a_record_that_is_no_cloudevent_is_dead_lettered_not_forwarded() -> None:
    junk = Record(PREFIX + HELSINKI.commands, 0, 1, b"k", b"{not json", [("ce_type", b"x")])

    dead = bridge.inbound(junk)

    assert dead.outcome == "dead_lettered"
    assert headers_of(dead)["koos_dlq_reason"].startswith("value is not JSON")


def confirmed_for(organisation_id: str, causation_id: str) -> Record:
    event = RegistrationConfirmed(registration_id=uuid4(), edition_id=uuid4(),
                                  participant=Participant(**person(2, "fi").model_dump(), person_id="p-2"),
                                  confirmed_at=datetime.now(UTC))
    return record_on(PREFIX + "koos.registration.registrations.v1", event, organisation_id,
                     causation_id=causation_id)


def test_a_result_of_an_organisation_with_a_partner_goes_to_its_results_topic_with_the_causation_id() -> None:
    result = confirmed_for("helsingin-kaupunki", "hr-1")

    copied = bridge.outbound(result, {"helsingin-kaupunki"})

    assert copied is not None and copied.topic == PREFIX + HELSINKI.results
    assert headers_of(copied)["ce_causationid"] == "hr-1"
    assert (copied.key, copied.value) == (result.key, result.value)


def test_nothing_of_an_organisation_without_a_partner_and_no_other_event_goes_out() -> None:
    assert bridge.outbound(confirmed_for("oslo-kommune", "staff-1"), {"helsingin-kaupunki"}) is None
    feedback = FeedbackRecorded(edition_id=uuid4(), person_id="p-2", recorded_at=datetime.now(UTC))
    record = record_on(PREFIX + "koos.evaluation.surveys.v1", feedback, "helsingin-kaupunki")
    assert bridge.outbound(record, {"helsingin-kaupunki"}) is None


async def test_a_partners_registration_goes_inward_with_its_persons_subject_and_sealed() -> None:
    command = enrol()
    forwarded = bridge.inbound(record_on(PREFIX + HELSINKI.commands, command, "helsingin-kaupunki", event_id="hr-2"))
    ring = KeyRing()
    subject = person_id_for("helsingin-kaupunki", command.person.email)
    KeyIssuer(ring, KeyWrapper("a-key-encryption-key-of-some-length"), "/t").issued(subject, "helsingin-kaupunki")

    inward = await sealed_inward(forwarded, FakePeople(), PersonalData(ring).seal)

    assert inward.value and command.person.email.encode() not in inward.value
    assert (inward.topic, inward.key, inward.headers) == (forwarded.topic, forwarded.key, forwarded.headers)
    opened = parse(PersonalData(ring).open(from_record(inward.value, inward.headers)))
    assert opened.person.email == command.person.email and opened.person.subject_id == subject  # type: ignore[attr-defined]
    cancel = bridge.inbound(record_on(PREFIX + HELSINKI.commands, CancelRegistration(
        edition_id=uuid4(), registration_id=uuid4()), "helsingin-kaupunki"))
    assert await sealed_inward(cancel, FakePeople(), PersonalData(ring).seal) == cancel
