"""Topic catalogue: every topic is named `koos.<service>.<entity>.v<N>` and has `.dlq` and `.retry` twins.

A record that cannot be processed goes to the `.dlq` twin with the reason; a record that must wait (its
edition is not known yet, say) goes to the `.retry` twin and comes back after a delay, so that it never
holds up the records behind it.
"""

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Topic:
    """A Kafka topic owned by one service."""

    service: str
    entity: str
    version: int = 1
    partitions: int = 3
    compacted: bool = False
    """Whether Kafka keeps only the newest record per key (and a tombstone, for good: a key erased stays erased)."""

    @property
    def name(self) -> str:
        return f"koos.{self.service}.{self.entity}.v{self.version}"

    @property
    def dlq(self) -> str:
        return f"{self.name}.dlq"

    @property
    def configs(self) -> dict[str, str]:
        """Its topic configuration beyond the cluster's defaults (compaction, for a compacted topic)."""
        return dict(COMPACTED_CONFIGS) if self.compacted else {}

    @property
    def retry(self) -> str:
        return f"{self.name}.retry"


COMPACTED_CONFIGS = {
    "cleanup.policy": "compact",
    "delete.retention.ms": str(100 * 365 * 24 * 3600 * 1000),
    "segment.ms": str(3600 * 1000),
    "max.compaction.lag.ms": str(3600 * 1000),
}
"""A compacted topic keeps its tombstones for good (an erased key is known to be erased) and compacts a
replaced record away within the hour (its segment rolls, then it is cleaned)."""

RECORD_LIMIT_BYTES = 1_048_588
"""The largest record a Koos topic takes: Kafka's default `message.max.bytes`."""

SIDELINED_LIMIT_BYTES = 3 * 1024 * 1024
"""The largest record a `.dlq` or `.retry` twin takes. A sidelined record is its source record plus headers (the
reason, where it came from, the trace), so a twin must take more than its source, or the largest records could
never be dead-lettered and would hold up their partition."""

SIDELINED_CONFIGS = {"max.message.bytes": str(SIDELINED_LIMIT_BYTES)}
"""The topic configuration of every `.dlq` and `.retry` twin."""

SCHEDULING_COMMANDS = Topic("scheduling", "commands")
EDITIONS = Topic("scheduling", "editions")
REGISTRATION_COMMANDS = Topic("registration", "commands")
REGISTRATIONS = Topic("registration", "registrations")
TEAMS = Topic("registration", "teams")
EVALUATION_COMMANDS = Topic("evaluation", "commands")
SURVEYS = Topic("evaluation", "surveys")
APPLICATIONS = Topic("registration", "applications")
SELECTIONS = Topic("evaluation", "selections")
HOMEWORK = Topic("evaluation", "homework")
NOTIFICATION_COMMANDS = Topic("notifications", "commands")
DELIVERIES = Topic("notifications", "deliveries")
PRIVACY_KEYS = Topic("privacy", "keys", compacted=True)
PRIVACY_REQUESTS = Topic("privacy", "requests")
PRIVACY_ANSWERS = Topic("privacy", "answers")

ALL_TOPICS: tuple[Topic, ...] = (
    SCHEDULING_COMMANDS,
    EDITIONS,
    REGISTRATION_COMMANDS,
    REGISTRATIONS,
    TEAMS,
    EVALUATION_COMMANDS,
    SURVEYS,
    NOTIFICATION_COMMANDS,
    DELIVERIES,
    APPLICATIONS,
    SELECTIONS,
    HOMEWORK,
    PRIVACY_KEYS,
    PRIVACY_REQUESTS,
    PRIVACY_ANSWERS,
)


PARTNER_TOPIC_PREFIX = "koos.partner."
ORGANISATION_SLUG = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")
"""An organisation id as partner topics and principals carry it: lower-case letters, digits, inner hyphens."""
_PARTNER_TOPIC = re.compile(r"koos\.partner\.(?P<org>[a-z0-9-]+)\.(?P<kind>commands|results)\.v1")


class InvalidOrganisation(ValueError):
    """An organisation id that cannot name a partner's topics."""


def organisation_slug(value: str) -> str:
    """The organisation id itself when it can name topics; InvalidOrganisation otherwise."""
    if not ORGANISATION_SLUG.fullmatch(value):
        raise InvalidOrganisation(f"{value!r} is not an organisation slug: 1-63 of a-z, 0-9 and inner '-'")
    return value


@dataclass(frozen=True)
class PartnerTopics:
    """The two topics of one partner organisation: commands in (with a `.dlq` twin), results out."""

    organisation: str
    partitions: int = 3

    def __post_init__(self) -> None:
        organisation_slug(self.organisation)

    @property
    def commands(self) -> str:
        return f"{PARTNER_TOPIC_PREFIX}{self.organisation}.commands.v1"

    @property
    def commands_dlq(self) -> str:
        return f"{self.commands}.dlq"

    @property
    def results(self) -> str:
        return f"{PARTNER_TOPIC_PREFIX}{self.organisation}.results.v1"


PARTNER_COMMANDS_PATTERN = r"koos\.partner\.[a-z0-9-]+\.commands\.v1"
"""A regular expression matching every partner's inbound topic (without a namespace prefix)."""


def organisation_of_partner_topic(name: str, kind: str = "commands") -> str | None:
    """The organisation whose partner topic (`commands` or `results`) this is, or None for any other topic."""
    found = _PARTNER_TOPIC.fullmatch(name)
    if found and found["kind"] == kind and ORGANISATION_SLUG.fullmatch(found["org"]):
        return found["org"]
    return None
