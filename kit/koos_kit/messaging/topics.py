"""Creating the project's topics with explicit partitions and replication (auto-creation is off)."""

from aiokafka.admin import AIOKafkaAdminClient, NewTopic

from koos_contracts.topics import ALL_TOPICS, SIDELINED_CONFIGS, PartnerTopics
from koos_kit.logging import get_logger
from koos_kit.messaging.security import KafkaConnection, aiokafka_options

log = get_logger("koos.topics")

ALREADY_EXISTS = 36
NOT_AUTHORISED = (29, 31)  # TOPIC_AUTHORIZATION_FAILED, CLUSTER_AUTHORIZATION_FAILED


def _new(name: str, partitions: int, connection: KafkaConnection, configs: dict[str, str] | None = None) -> NewTopic:
    configs = {"min.insync.replicas": str(connection.min_insync_replicas), **(configs or {})}
    return NewTopic(name, partitions, connection.replication_factor, topic_configs=configs)


def wanted_topics(connection: KafkaConnection, prefix: str = "") -> list[NewTopic]:
    """Every topic with its DLQ and retry twins, under an optional prefix (one namespace per environment)."""
    topics: list[NewTopic] = []
    for topic in ALL_TOPICS:
        topics.append(_new(prefix + topic.name, topic.partitions, connection, topic.configs))
        topics.append(_new(prefix + topic.dlq, 1, connection, SIDELINED_CONFIGS))
        topics.append(_new(prefix + topic.retry, topic.partitions, connection, SIDELINED_CONFIGS))
    return topics


def wanted_partner_topics(connection: KafkaConnection, partner: PartnerTopics, prefix: str = "") -> list[NewTopic]:
    """A partner organisation's inbound topic with its DLQ twin, and its outbound topic."""
    return [_new(prefix + partner.commands, partner.partitions, connection),
            _new(prefix + partner.commands_dlq, 1, connection, SIDELINED_CONFIGS),
            _new(prefix + partner.results, partner.partitions, connection)]


async def ensure_topics(connection: KafkaConnection, prefix: str = "",
                        topics: list[NewTopic] | None = None) -> list[str]:
    """Create the topics that are missing; return the names created.

    A principal without the right to create topics (a service on a secured cluster) creates nothing:
    the operator's tools do that, and the topics it may not create are skipped.
    """
    wanted = wanted_topics(connection, prefix) if topics is None else topics
    admin = AIOKafkaAdminClient(**aiokafka_options(connection))
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [t for t in wanted if t.name not in existing]
        if not missing:
            return []
        response = await admin.create_topics(missing)
        return _created(response.topic_errors)
    finally:
        await admin.close()


def _created(topic_errors: list[tuple[str, int, str | None]]) -> list[str]:
    created, refused = [], []
    for name, error_code, *message in topic_errors:
        if error_code == 0:
            created.append(name)
        elif error_code in NOT_AUTHORISED:
            refused.append(name)
        elif error_code != ALREADY_EXISTS:
            raise RuntimeError(f"creating topic {name} failed: error {error_code} {message[0] if message else ''}")
    if refused:
        log.debug("topics not created: not authorised (an operator creates them)", topics=len(refused))
    return created
