"""Who may read and write which topic: one Kafka principal per service, with only the rights it needs.

Partners have rights on their own organisation's two topics only (see `koos_contracts.partners`);
internal topics are for services alone. Deployment tooling (the CLI, Kubernetes `KafkaUser`s) turns
this table into ACLs; tests compare the broker's answers with it.
"""

from dataclasses import dataclass

from koos_contracts.topics import (
    APPLICATIONS,
    DELIVERIES,
    EDITIONS,
    EVALUATION_COMMANDS,
    HOMEWORK,
    NOTIFICATION_COMMANDS,
    PRIVACY_ANSWERS,
    PRIVACY_KEYS,
    PRIVACY_REQUESTS,
    REGISTRATION_COMMANDS,
    REGISTRATIONS,
    SCHEDULING_COMMANDS,
    SELECTIONS,
    SURVEYS,
    TEAMS,
    Topic,
)


@dataclass(frozen=True)
class ServiceAccess:
    """The topics a service consumes and those it publishes to."""

    service: str
    consumes: tuple[Topic, ...]
    publishes: tuple[Topic, ...]
    partner_edge: bool = False
    """Whether it is the partners' edge: it reads every partner's inbound and writes every outbound topic."""

    @property
    def principal(self) -> str:
        """Its SASL user name."""
        return f"koos-{self.service}"

    def group_prefix(self, prefix: str = "") -> str:
        """The start of its consumer group names and transactional ids."""
        return f"{prefix}koos-{self.service}"


PRIVACY = (PRIVACY_KEYS, PRIVACY_REQUESTS)
"""What every holder of personal data reads: the people's data keys and the export and erasure requests."""

SERVICE_ACCESS: tuple[ServiceAccess, ...] = (
    ServiceAccess("scheduling", consumes=(SCHEDULING_COMMANDS, SELECTIONS), publishes=(EDITIONS,)),
    ServiceAccess("registration", consumes=(REGISTRATION_COMMANDS, EDITIONS, *PRIVACY),
                  publishes=(REGISTRATIONS, TEAMS, APPLICATIONS, PRIVACY_ANSWERS)),
    ServiceAccess("evaluation", consumes=(EDITIONS, REGISTRATIONS, TEAMS, EVALUATION_COMMANDS, APPLICATIONS,
                                          *PRIVACY),
                  publishes=(SURVEYS, SELECTIONS, HOMEWORK, PRIVACY_ANSWERS)),
    ServiceAccess("notifications", consumes=(EDITIONS, REGISTRATIONS, TEAMS, SURVEYS, NOTIFICATION_COMMANDS,
                                             APPLICATIONS, SELECTIONS, *PRIVACY, PRIVACY_ANSWERS),
                  publishes=(DELIVERIES, PRIVACY_ANSWERS)),
    ServiceAccess("gateway", consumes=(EDITIONS, REGISTRATIONS, TEAMS, SURVEYS, DELIVERIES, APPLICATIONS, SELECTIONS,
                                       HOMEWORK, *PRIVACY, PRIVACY_ANSWERS),
                  publishes=(SCHEDULING_COMMANDS, REGISTRATION_COMMANDS, EVALUATION_COMMANDS, NOTIFICATION_COMMANDS,
                             PRIVACY_KEYS, PRIVACY_REQUESTS, PRIVACY_ANSWERS),
                  partner_edge=True),
)

ACCESS_BY_SERVICE = {access.service: access for access in SERVICE_ACCESS}
