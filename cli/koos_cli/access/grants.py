"""The ACLs of the design in `koos_contracts.access`: each service's, each partner's, in one namespace."""

from __future__ import annotations

from koos_cli.access.acl import AclBinding, Operation, Pattern, Resource, group, topic, transactional_ids, user
from koos_contracts.access import SERVICE_ACCESS, ServiceAccess
from koos_contracts.partners import partner_principal
from koos_contracts.topics import PARTNER_TOPIC_PREFIX, PartnerTopics

READ, WRITE = Operation.READ, Operation.WRITE
RETRY_SUFFIX = ".retry"
"""The twin a service re-reads delayed retries from (written and read by the consuming service only)."""


def service_bindings(access: ServiceAccess, prefix: str = "") -> list[AclBinding]:
    """Read what it consumes, write what it publishes, its DLQ and retry twins, groups and transactions."""
    principal = user(access.principal)
    bindings: list[AclBinding] = []
    for consumed in access.consumes:
        name = prefix + consumed.name
        bindings += topic(principal, name, READ)
        bindings += topic(principal, prefix + consumed.dlq, WRITE)
        bindings += topic(principal, name + RETRY_SUFFIX, READ, WRITE)
    for published in access.publishes:
        bindings += topic(principal, prefix + published.name, WRITE)
    if access.partner_edge:
        bindings += topic(principal, prefix + PARTNER_TOPIC_PREFIX, READ, WRITE, prefixed=True)
    bindings += group(principal, access.group_prefix(prefix))
    bindings += transactional_ids(principal, access.group_prefix(prefix))
    return bindings


def all_service_bindings(prefix: str = "") -> list[AclBinding]:
    """Every service's bindings in one namespace."""
    return [binding for access in SERVICE_ACCESS for binding in service_bindings(access, prefix)]


def partner_bindings(organisation: str, prefix: str = "") -> list[AclBinding]:
    """Write its inbound topic; read its outbound topic and its dead letters; its own consumer groups.

    Its groups are named `partner-<org>` or `partner-<org>.<anything>`: the dot (never in a slug) keeps
    `partner-oslo.` from matching the groups of `partner-oslo-kommune`.
    """
    topics = PartnerTopics(organisation)
    name = partner_principal(organisation, prefix)
    principal = user(name)
    return [*topic(principal, prefix + topics.commands, WRITE),
            *topic(principal, prefix + topics.results, READ),
            *topic(principal, prefix + topics.commands_dlq, READ),
            AclBinding(principal, Resource.GROUP, name, READ, Pattern.LITERAL),
            *group(principal, f"{name}.")]
