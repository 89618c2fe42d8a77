"""Kafka ACL bindings as values: who may do what on which resource."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum


class Resource(IntEnum):
    """Kafka's resource types (wire codes)."""

    ANY = 1
    TOPIC = 2
    GROUP = 3
    CLUSTER = 4
    TRANSACTIONAL_ID = 5


class Pattern(IntEnum):
    """How a binding's resource name matches (wire codes)."""

    ANY = 1
    MATCH = 2
    LITERAL = 3
    PREFIXED = 4


class Operation(IntEnum):
    """Kafka's operations (wire codes)."""

    ANY = 1
    ALL = 2
    READ = 3
    WRITE = 4
    CREATE = 5
    DELETE = 6
    ALTER = 7
    DESCRIBE = 8


class Permission(IntEnum):
    """Allow or deny (wire codes)."""

    ANY = 1
    DENY = 2
    ALLOW = 3


def user(name: str) -> str:
    """The Kafka principal of a SASL user."""
    return f"User:{name}"


@dataclass(frozen=True, order=True)
class AclBinding:
    """One ACL: principal may (or may not) perform operation on a resource, from any host."""

    principal: str
    resource: Resource
    name: str
    operation: Operation
    pattern: Pattern = Pattern.LITERAL
    permission: Permission = Permission.ALLOW
    host: str = "*"

    def wire(self) -> tuple[int, str, int, str, str, int, int]:
        """The binding as CreateAcls v1 and DeleteAcls v1 carry it."""
        return (int(self.resource), self.name, int(self.pattern), self.principal, self.host,
                int(self.operation), int(self.permission))

    def __str__(self) -> str:
        how = "" if self.pattern is Pattern.LITERAL else f" ({self.pattern.name.lower()})"
        verb = "may" if self.permission is Permission.ALLOW else "may not"
        return f"{self.principal} {verb} {self.operation.name} {self.resource.name} {self.name}{how}"


def topic(principal: str, name: str, *operations: Operation, prefixed: bool = False) -> list[AclBinding]:
    """Bindings on a topic (or every topic whose name starts with name)."""
    pattern = Pattern.PREFIXED if prefixed else Pattern.LITERAL
    return [AclBinding(principal, Resource.TOPIC, name, op, pattern) for op in operations]


def group(principal: str, prefix: str) -> list[AclBinding]:
    """Read on the consumer groups whose names start with prefix."""
    return [AclBinding(principal, Resource.GROUP, prefix, Operation.READ, Pattern.PREFIXED)]


def transactional_ids(principal: str, prefix: str) -> list[AclBinding]:
    """Write and Describe on the transactional ids that start with prefix."""
    return [AclBinding(principal, Resource.TRANSACTIONAL_ID, prefix, op, Pattern.PREFIXED)
            for op in (Operation.WRITE, Operation.DESCRIBE)]
