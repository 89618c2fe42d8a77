"""Creating the project's topics with explicit partitions (auto-creation is off)."""

from aiokafka.admin import AIOKafkaAdminClient, NewTopic

from koos_contracts.topics import ALL_TOPICS


def wanted_topics(prefix: str = "", replication: int = 1) -> list[NewTopic]:
    """Every topic with its DLQ and retry twins, under an optional prefix (one namespace per environment)."""
    topics: list[NewTopic] = []
    for topic in ALL_TOPICS:
        topics.append(NewTopic(prefix + topic.name, topic.partitions, replication))
        topics.append(NewTopic(prefix + topic.dlq, 1, replication))
        topics.append(NewTopic(prefix + topic.retry, topic.partitions, replication))
    return topics


async def ensure_topics(bootstrap: str, prefix: str = "", replication: int = 1) -> list[str]:
    """Create the topics that are missing; return the names created."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [t for t in wanted_topics(prefix, replication) if t.name not in existing]
        if missing:
            await admin.create_topics(missing)
        return [t.name for t in missing]
    finally:
        await admin.close()
