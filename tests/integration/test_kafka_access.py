"""Who may read and write which topic, asked of the real secured broker and compared with the design."""

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import uuid4

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.errors import KafkaError, TopicAuthorizationFailedError

from koos_cli.access.partners import PartnerAccount, add_partner
from koos_contracts import to_record, wrap
from koos_contracts.access import SERVICE_ACCESS
from koos_contracts.registration import RegistrationConfirmed
from koos_contracts.topics import ALL_TOPICS, REGISTRATIONS, PartnerTopics
from koos_contracts.values import Participant
from koos_kit.messaging.security import KafkaConnection, aiokafka_options
from tests.builders import person
from tests.fixtures.servers import KafkaCluster, announce
from tests.fixtures.services import Namespace

pytestmark = pytest.mark.integration

A, B = "helsingin-kaupunki", "espoon-kaupunki"
PARTNER_COLUMNS = {f"{tag}-{part}": (org, part) for tag, org in (("A", A), ("B", B))
                   for part in ("in", "out", "dlq")}


@dataclass(frozen=True)
class Column:
    """A topic of the matrix, by its short name."""

    label: str
    topic: str


def columns(prefix: str) -> list[Column]:
    found = []
    for label, (org, part) in PARTNER_COLUMNS.items():
        topics = PartnerTopics(org)
        found.append(Column(label, prefix + {"in": topics.commands, "out": topics.results,
                                             "dlq": topics.commands_dlq}[part]))
    return found + [Column(t.name.removeprefix("koos.").removesuffix(".v1"), prefix + t.name) for t in ALL_TOPICS]


def designed(principal: str, column: Column) -> str:
    """The rights the design gives, as 'RW', 'R-', '-W' or '--'."""
    if column.label in PARTNER_COLUMNS:
        org, part = PARTNER_COLUMNS[column.label]
        if principal == f"partner {org}":
            return {"in": "-W", "out": "R-", "dlq": "R-"}[part]
        return "RW" if principal == "gateway" else "--"
    if principal.startswith("partner"):
        return "--"
    access = next(a for a in SERVICE_ACCESS if a.service == principal)
    name = column.topic.rsplit("koos.", 1)[1]
    read = any(f"koos.{name}" == t.name for t in access.consumes)
    write = any(f"koos.{name}" == t.name for t in access.publishes)
    return ("R" if read else "-") + ("W" if write else "-")


async def may_write(connection: KafkaConnection, topic: str) -> bool:
    producer = AIOKafkaProducer(**aiokafka_options(connection), acks="all", request_timeout_ms=10000)
    await producer.start()
    try:
        await producer.send_and_wait(topic, b"{}", key=b"probe", partition=0)
        return True
    except TopicAuthorizationFailedError:
        return False
    finally:
        await producer.stop()


async def may_read(connection: KafkaConnection, topic: str) -> bool:
    consumer = AIOKafkaConsumer(**aiokafka_options(connection), enable_auto_commit=False)
    await consumer.start()
    try:
        if topic not in await consumer.topics():
            return False  # not even allowed to know it exists
        consumer.assign([TopicPartition(topic, 0)])
        await consumer.seek_to_beginning()
        batch = await consumer.getmany(timeout_ms=5000)
        assert batch, f"{topic} was seeded, so a reader must get a record"
        return True
    except (TopicAuthorizationFailedError, KafkaError):
        return False
    finally:
        await consumer.stop()


@pytest.fixture
async def partners(kafka_cluster: KafkaCluster, granted_namespace: Namespace) -> dict[str, PartnerAccount]:
    """Two partners, of two cities, added as `koos partner add` does."""
    if not kafka_cluster.secured:
        pytest.skip("an external broker without ACLs cannot show who may do what")
    return {org: await add_partner(kafka_cluster.admin, org, granted_namespace.prefix) for org in (A, B)}


def partner_connection(kafka: KafkaCluster, account: PartnerAccount) -> KafkaConnection:
    return KafkaConnection(kafka.bootstrap, "SASL_PLAINTEXT", "SCRAM-SHA-512", account.username, account.password)


async def test_the_broker_grants_each_principal_exactly_the_designed_rights(
        pytestconfig: pytest.Config, kafka_cluster: KafkaCluster, granted_namespace: Namespace,
        partners: dict[str, PartnerAccount]) -> None:
    cols = columns(granted_namespace.prefix)
    for column in cols:
        assert await may_write(kafka_cluster.admin, column.topic), "the operator seeds every topic"
    principals = {f"partner {org}": partner_connection(kafka_cluster, account) for org, account in partners.items()}
    short = {f"partner {A}": "partner A", f"partner {B}": "partner B"}
    principals |= {access.service: kafka_cluster.service(access.service) for access in SERVICE_ACCESS}

    async def rights(connection: KafkaConnection, column: Column) -> str:
        read, write = await asyncio.gather(may_read(connection, column.topic), may_write(connection, column.topic))
        return ("R" if read else "-") + ("W" if write else "-")

    measured = {name: list(await asyncio.gather(*(rights(connection, column) for column in cols)))
                for name, connection in principals.items()}

    header = f"{'topic':<28}" + "".join(f"{short.get(name, name):>14}" for name in principals)
    rows = [f"{c.label:<28}" + "".join(f"{measured[name][i]:>14}" for name in principals) for i, c in enumerate(cols)]
    announce(pytestconfig, f"\nKafka rights measured on the secured broker (R read, W write; A = {A}, B = {B}):\n"
             + "\n".join([header, *rows]))
    expected = {name: [designed(name, column) for column in cols] for name in principals}
    assert measured == expected


async def test_a_forged_event_from_a_partner_on_an_internal_topic_is_refused_by_kafka(
        kafka_cluster: KafkaCluster, granted_namespace: Namespace, partners: dict[str, PartnerAccount]) -> None:
    forged = RegistrationConfirmed(registration_id=uuid4(), edition_id=uuid4(),
                                   participant=Participant(**person(1).model_dump(), person_id="p-1"),
                                   confirmed_at=datetime.now(UTC))
    key, value, headers = to_record(wrap(forged, source="/koos/registration", organisation_id=A))
    producer = AIOKafkaProducer(**aiokafka_options(partner_connection(kafka_cluster, partners[A])), acks="all")
    await producer.start()
    try:
        with pytest.raises(TopicAuthorizationFailedError):
            await producer.send_and_wait(granted_namespace.topic(REGISTRATIONS.name), value, key=key,
                                         headers=headers)
    finally:
        await producer.stop()
