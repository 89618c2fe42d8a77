"""Topic catalogue: every topic is named `koos.<service>.<entity>.v<N>` and has `.dlq` and `.retry` twins.

A record that cannot be processed goes to the `.dlq` twin with the reason; a record that must wait (its
edition is not known yet, say) goes to the `.retry` twin and comes back after a delay, so that it never
holds up the records behind it.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Topic:
    """A Kafka topic owned by one service."""

    service: str
    entity: str
    version: int = 1
    partitions: int = 3

    @property
    def name(self) -> str:
        return f"koos.{self.service}.{self.entity}.v{self.version}"

    @property
    def dlq(self) -> str:
        return f"{self.name}.dlq"

    @property
    def retry(self) -> str:
        return f"{self.name}.retry"


SCHEDULING_COMMANDS = Topic("scheduling", "commands")
EDITIONS = Topic("scheduling", "editions")
REGISTRATION_COMMANDS = Topic("registration", "commands")
REGISTRATIONS = Topic("registration", "registrations")
EVALUATION_COMMANDS = Topic("evaluation", "commands")
SURVEYS = Topic("evaluation", "surveys")
NOTIFICATION_COMMANDS = Topic("notifications", "commands")
DELIVERIES = Topic("notifications", "deliveries")

ALL_TOPICS: tuple[Topic, ...] = (
    SCHEDULING_COMMANDS,
    EDITIONS,
    REGISTRATION_COMMANDS,
    REGISTRATIONS,
    EVALUATION_COMMANDS,
    SURVEYS,
    NOTIFICATION_COMMANDS,
    DELIVERIES,
)
