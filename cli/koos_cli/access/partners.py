"""Partner systems on Kafka: a SASL user bound to one organisation, its two topics and its ACLs."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from koos_cli.access.acl import user
from koos_cli.access.admin import access_admin
from koos_cli.access.grants import partner_bindings
from koos_contracts.partners import partner_principal
from koos_contracts.topics import PartnerTopics, organisation_slug
from koos_kit.messaging.security import KafkaConnection
from koos_kit.messaging.topics import ensure_topics, wanted_partner_topics

PARTNER_PREFIX = "partner-"


@dataclass(frozen=True)
class PartnerAccount:
    """A partner's user name and password (shown once) and the topic names it uses."""

    organisation: str
    username: str
    password: str = field(repr=False)
    commands_topic: str
    results_topic: str
    dead_letters_topic: str
    consumer_group: str


@dataclass(frozen=True)
class PartnerSummary:
    """A partner as `koos partner list` shows it."""

    organisation: str
    username: str
    acls: int


async def add_partner(admin: KafkaConnection, organisation: str, prefix: str = "") -> PartnerAccount:
    """Create (or re-key) an organisation's partner user, its topics and its ACLs; no restart needed.

    Adding a partner again gives it a new password; the old one stops working.
    """
    topics = PartnerTopics(organisation_slug(organisation))
    name = partner_principal(organisation, prefix)
    password = secrets.token_urlsafe(24)
    await ensure_topics(admin, prefix, wanted_partner_topics(admin, topics, prefix))
    async with access_admin(admin) as client:
        await client.upsert_user(name, password, admin.sasl_mechanism)
        await client.create_acls(partner_bindings(organisation, prefix))
    return PartnerAccount(organisation, name, password, prefix + topics.commands, prefix + topics.results,
                          prefix + topics.commands_dlq, name)


async def revoke_partner(admin: KafkaConnection, organisation: str, prefix: str = "") -> bool:
    """Remove a partner's ACLs and user: its next request is refused. Its topics stay, for the record."""
    name = partner_principal(organisation_slug(organisation), prefix)
    async with access_admin(admin) as client:
        removed_acls = await client.delete_acls(user(name))
        removed_user = await client.delete_user(name)
    return bool(removed_acls or removed_user)


async def list_partners(admin: KafkaConnection, prefix: str = "") -> list[PartnerSummary]:
    """Every partner user of the namespace with the number of its ACLs."""
    start = f"{prefix}{PARTNER_PREFIX}"
    async with access_admin(admin) as client:
        names = sorted(name for name in await client.users() if name.startswith(start))
        return [PartnerSummary(name[len(start):], name, len(await client.acls(user(name)))) for name in names]
