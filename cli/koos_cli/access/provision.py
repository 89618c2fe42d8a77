"""What a secured cluster needs before the services start: their users, the topics, their ACLs."""

from __future__ import annotations

from collections.abc import Callable

from koos_cli.access.admin import access_admin
from koos_cli.access.grants import all_service_bindings
from koos_contracts.access import SERVICE_ACCESS
from koos_kit.messaging.security import KafkaConnection
from koos_kit.messaging.topics import ensure_topics

Passwords = Callable[[str], str]


async def provision_services(admin: KafkaConnection, passwords: Passwords, prefix: str = "") -> list[str]:
    """Create (or update) every service's SCRAM user, the namespace's topics and the services' ACLs.

    Returns the topics created. Running it again changes nothing but the users' salts.
    """
    await create_service_users(admin, passwords)
    return await grant_services(admin, prefix)


async def create_service_users(admin: KafkaConnection, passwords: Passwords) -> None:
    """Every service's SCRAM user, with the password passwords(principal) gives."""
    async with access_admin(admin) as client:
        for access in SERVICE_ACCESS:
            await client.upsert_user(access.principal, passwords(access.principal), admin.sasl_mechanism)


async def grant_services(admin: KafkaConnection, prefix: str = "") -> list[str]:
    """The topics of one namespace and the services' ACLs on them; returns the topics created."""
    created = await ensure_topics(admin, prefix)
    async with access_admin(admin) as client:
        await client.create_acls(all_service_bindings(prefix))
    return created


async def withdraw_services(admin: KafkaConnection, prefix: str) -> int:
    """Delete the services' ACLs of one namespace (a test's, when it is over); return how many went."""
    async with access_admin(admin) as client:
        bindings = all_service_bindings(prefix)
        return await client.delete_exactly(bindings)
