"""An admin client that also manages SCRAM users and ACLs, as the operator's tools need."""

from __future__ import annotations

import asyncio
import hashlib
import secrets
import time
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from typing import Any

from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.errors import for_code

from koos_cli.access.acl import AclBinding, Operation, Pattern, Permission, Resource
from koos_cli.access.protocol import (
    AlterUserScramCredentials,
    CreateAcls,
    DeleteAcls,
    DescribeAcls,
    DescribeUserScramCredentials,
)
from koos_kit.messaging.security import KafkaConnection, aiokafka_options

MECHANISMS = {"SCRAM-SHA-256": (1, "sha256"), "SCRAM-SHA-512": (2, "sha512")}
ITERATIONS = 8192
NONE_FOUND = 91  # RESOURCE_NOT_FOUND: no SCRAM credential of that user
VISIBLE_WITHIN = 30.0
"""Seconds to wait until the broker applies a change (it reads the metadata log a moment later)."""


class AccessError(RuntimeError):
    """Kafka refused an admin request; the message names what and why."""


def _check(error_code: int, message: str | None, what: str) -> None:
    if error_code:
        raise AccessError(f"{what}: {for_code(error_code).__name__}{': ' + message if message else ''}")


class AccessAdmin(AIOKafkaAdminClient):  # type: ignore[misc]
    """AIOKafkaAdminClient plus SCRAM users (KIP-554) and batched ACL requests."""

    async def upsert_user(self, name: str, password: str, mechanism: str = "SCRAM-SHA-512") -> None:
        """Create a SCRAM user or change its password; takes effect at once, no restart."""
        code, digest = MECHANISMS[mechanism]
        salt = secrets.token_bytes(32)
        salted = hashlib.pbkdf2_hmac(digest, password.encode(), salt, ITERATIONS)
        response = await self._send_request(AlterUserScramCredentials([], [(name, code, ITERATIONS, salt, salted)]))
        for result in response.results:
            _check(result[1], result[2], f"setting the password of {name}")
        await _until(lambda: self._has_user(name), f"user {name} to appear")

    async def delete_user(self, name: str) -> bool:
        """Delete every SCRAM credential of a user; False when it had none."""
        existing = await self.users([name])
        mechanisms = existing.get(name, [])
        if not mechanisms:
            return False
        deletions = [(name, MECHANISMS[m][0]) for m in mechanisms]
        response = await self._send_request(AlterUserScramCredentials(deletions, []))
        for result in response.results:
            _check(result[1], result[2], f"deleting {name}")
        return True

    async def users(self, names: list[str] | None = None) -> dict[str, list[str]]:
        """SCRAM users and their mechanisms (all users when names is None)."""
        response = await self._send_request(DescribeUserScramCredentials(names))
        _check(response.error_code, response.error_message, "listing SCRAM users")
        by_code = {code: name for name, (code, _) in MECHANISMS.items()}
        found: dict[str, list[str]] = {}
        for user, error_code, message, infos, _tags in response.results:
            if error_code == NONE_FOUND:
                continue
            _check(error_code, message, f"describing {user}")
            found[user] = [by_code.get(info[0], str(info[0])) for info in infos]
        return found

    async def create_acls(self, bindings: Iterable[AclBinding]) -> None:
        """Create ACL bindings (creating one that exists is harmless)."""
        wanted = sorted(set(bindings))
        if not wanted:
            return
        response = await self._send_request(CreateAcls([b.wire() for b in wanted]))
        for binding, (error_code, message) in zip(wanted, response.creation_responses, strict=True):
            _check(error_code, message, f"creating ACL {binding}")
        principals = {b.principal for b in wanted}
        await _until(lambda: self._have_acls(principals, set(wanted)), f"{len(wanted)} ACLs to apply")

    async def delete_acls(self, principal: str, resource: Resource = Resource.ANY, name: str | None = None,
                          pattern: Pattern = Pattern.ANY) -> int:
        """Delete a principal's ACLs (optionally only those on one resource); return how many went."""
        acl_filter = (int(resource), name, int(pattern), principal, None, int(Operation.ANY), int(Permission.ANY))
        response = await self._send_request(DeleteAcls([acl_filter]))  # type: ignore[list-item]
        deleted = 0
        for error_code, message, matching in response.filter_responses:
            _check(error_code, message, f"deleting ACLs of {principal}")
            deleted += len(matching)
        return deleted

    async def delete_exactly(self, bindings: Iterable[AclBinding]) -> int:
        """Delete these bindings and no other; return how many existed."""
        filters = [b.wire() for b in set(bindings)]
        if not filters:
            return 0
        response = await self._send_request(DeleteAcls(filters))
        deleted = 0
        for error_code, message, matching in response.filter_responses:
            _check(error_code, message, "deleting ACLs")
            deleted += len(matching)
        return deleted

    async def acls(self, principal: str | None = None) -> list[AclBinding]:
        """Every ACL binding (of one principal when given)."""
        acl_filter = (int(Resource.ANY), None, int(Pattern.ANY), principal, None, int(Operation.ANY),
                      int(Permission.ANY))
        response = await self._send_request(DescribeAcls(acl_filter))  # type: ignore[arg-type]
        _check(response.error_code, response.error_message, "describing ACLs")
        return sorted(_bindings(response.resources))

    async def _has_user(self, name: str) -> bool:
        return name in await self.users([name])

    async def _have_acls(self, principals: set[str], wanted: set[AclBinding]) -> bool:
        present: set[AclBinding] = set()
        for principal in principals:
            present.update(await self.acls(principal))
        return wanted <= present


@asynccontextmanager
async def access_admin(connection: KafkaConnection) -> AsyncIterator[AccessAdmin]:
    """A started admin client for the connection (the operator's super user, normally)."""
    admin = AccessAdmin(**aiokafka_options(connection), request_timeout_ms=15000)
    await admin.start()
    try:
        yield admin
    finally:
        await admin.close()


async def _until(check: Any, what: str) -> None:
    deadline = time.monotonic() + VISIBLE_WITHIN
    while not await check():
        if time.monotonic() > deadline:
            raise AccessError(f"waited {VISIBLE_WITHIN:.0f} s for {what}")
        await asyncio.sleep(0.05)


def _bindings(resources: Any) -> Iterable[AclBinding]:
    for resource_type, name, pattern, acls in resources:
        for principal, host, operation, permission in acls:
            yield AclBinding(principal, Resource(resource_type), name, Operation(operation), Pattern(pattern),
                             Permission(permission), host)
