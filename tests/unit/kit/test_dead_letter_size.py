"""The largest record a topic takes can still be dead-lettered: its twins take more than it does."""

from koos_contracts.topics import RECORD_LIMIT_BYTES, SIDELINED_LIMIT_BYTES, PartnerTopics
from koos_kit.config import ServiceSettings
from koos_kit.messaging.broker import make_transactional_producer
from koos_kit.messaging.dead_letters import OVERHEAD_BYTES, dead_letter_headers, fitting
from koos_kit.messaging.records import Record
from koos_kit.messaging.security import KafkaConnection
from koos_kit.messaging.topics import wanted_partner_topics, wanted_topics

LARGEST = Record(topic="koos.registration.commands.v1", partition=0, offset=7, key=None,
                 value=b"7" * (RECORD_LIMIT_BYTES - 4_000), headers=[("ce_type", b"x" * 1_000)])


def test_the_largest_source_record_keeps_its_value_in_the_dead_letter() -> None:
    headers = dead_letter_headers(LARGEST, "r" * 5_000, "ValidationError", "registration")

    value, kept = fitting(LARGEST.value or b"", headers)

    assert value == LARGEST.value
    assert kept == headers
    assert len(value) + sum(len(n) + len(v) for n, v in kept) + OVERHEAD_BYTES <= SIDELINED_LIMIT_BYTES


def test_a_record_larger_than_its_twin_takes_is_dead_lettered_without_its_value_and_says_so() -> None:
    headers = dead_letter_headers(LARGEST, "too big", "ValidationError", "registration")

    value, kept = fitting(b"9" * SIDELINED_LIMIT_BYTES, headers)

    assert value == b""
    assert kept[:-1] == headers
    assert kept[-1] == ("koos_dlq_value_left_out_bytes", str(SIDELINED_LIMIT_BYTES).encode())


async def test_every_twin_topic_and_the_producer_that_writes_them_take_the_larger_size() -> None:
    connection = KafkaConnection("127.0.0.1:9092")
    topics = wanted_topics(connection) + wanted_partner_topics(connection, PartnerTopics("tromso-kommune"))
    limits = {t.name: t.topic_configs.get("max.message.bytes") for t in topics}

    twins = {name for name in limits if name.endswith((".dlq", ".retry"))}
    assert twins and all(limits[name] == str(SIDELINED_LIMIT_BYTES) for name in twins)
    assert all(limits[name] is None for name in set(limits) - twins), "source topics keep Kafka's default"
    producer = make_transactional_producer(ServiceSettings(service_name="registration"))
    assert producer._max_request_size == SIDELINED_LIMIT_BYTES
