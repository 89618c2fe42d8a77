# mypy: disable-error-code="misc"
"""Kafka admin requests aiokafka has no method for: SCRAM users (KIP-554) and ACLs in batches."""

from __future__ import annotations

from typing import Any

from aiokafka.protocol.admin import (
    CreateAclsRequest_v1,
    DeleteAclsRequest_v1,
    DescribeAclsRequest_v1,
)
from aiokafka.protocol.api import Request, RequestStruct, Response
from aiokafka.protocol.types import (
    CompactArray,
    CompactBytes,
    CompactString,
    Int8,
    Int16,
    Int32,
    Schema,
    TaggedFields,
)

NO_TAGS: dict[int, bytes] = {}


class AlterUserScramCredentialsResponse_v0(Response):
    API_KEY = 51
    API_VERSION = 0
    SCHEMA = Schema(
        ("throttle_time_ms", Int32),
        ("results", CompactArray(("user", CompactString("utf-8")), ("error_code", Int16),
                                 ("error_message", CompactString("utf-8")), ("tags", TaggedFields))),
        ("tags", TaggedFields),
    )


class AlterUserScramCredentialsRequest_v0(RequestStruct):
    FLEXIBLE_VERSION = True
    API_KEY = 51
    API_VERSION = 0
    RESPONSE_TYPE = AlterUserScramCredentialsResponse_v0
    SCHEMA = Schema(
        ("deletions", CompactArray(("name", CompactString("utf-8")), ("mechanism", Int8), ("tags", TaggedFields))),
        ("upsertions", CompactArray(("name", CompactString("utf-8")), ("mechanism", Int8), ("iterations", Int32),
                                    ("salt", CompactBytes), ("salted_password", CompactBytes),
                                    ("tags", TaggedFields))),
        ("tags", TaggedFields),
    )


class AlterUserScramCredentials(Request[AlterUserScramCredentialsRequest_v0]):
    """Create, change or delete SCRAM credentials; the broker never sees the password itself."""

    API_KEY = 51

    def __init__(self, deletions: list[tuple[str, int]],
                 upsertions: list[tuple[str, int, int, bytes, bytes]]) -> None:
        self._deletions = [(*d, NO_TAGS) for d in deletions]
        self._upsertions = [(*u, NO_TAGS) for u in upsertions]

    def build(self, request_struct_class: type[AlterUserScramCredentialsRequest_v0]) -> Any:
        return request_struct_class(self._deletions, self._upsertions, NO_TAGS)


class DescribeUserScramCredentialsResponse_v0(Response):
    API_KEY = 50
    API_VERSION = 0
    SCHEMA = Schema(
        ("throttle_time_ms", Int32),
        ("error_code", Int16),
        ("error_message", CompactString("utf-8")),
        ("results", CompactArray(
            ("user", CompactString("utf-8")), ("error_code", Int16), ("error_message", CompactString("utf-8")),
            ("credential_infos", CompactArray(("mechanism", Int8), ("iterations", Int32), ("tags", TaggedFields))),
            ("tags", TaggedFields))),
        ("tags", TaggedFields),
    )


class DescribeUserScramCredentialsRequest_v0(RequestStruct):
    FLEXIBLE_VERSION = True
    API_KEY = 50
    API_VERSION = 0
    RESPONSE_TYPE = DescribeUserScramCredentialsResponse_v0
    SCHEMA = Schema(
        ("users", CompactArray(("name", CompactString("utf-8")), ("tags", TaggedFields))),
        ("tags", TaggedFields),
    )


class DescribeUserScramCredentials(Request[DescribeUserScramCredentialsRequest_v0]):
    """Every SCRAM user (users=None) or the named ones."""

    API_KEY = 50

    def __init__(self, users: list[str] | None = None) -> None:
        self._users = None if users is None else [(name, NO_TAGS) for name in users]

    def build(self, request_struct_class: type[DescribeUserScramCredentialsRequest_v0]) -> Any:
        return request_struct_class(self._users, NO_TAGS)


AclTuple = tuple[int, str, int, str, str, int, int]
"""resource type, resource name, pattern type, principal, host, operation, permission type."""


class CreateAcls(Request[CreateAclsRequest_v1]):
    """Many ACL bindings in one request (aiokafka's own request carries one)."""

    API_KEY = 30

    def __init__(self, creations: list[AclTuple]) -> None:
        self._creations = creations

    def build(self, request_struct_class: type[CreateAclsRequest_v1]) -> Any:
        return request_struct_class(self._creations)


class DeleteAcls(Request[DeleteAclsRequest_v1]):
    """Delete every ACL matching any of the filters."""

    API_KEY = 31

    def __init__(self, filters: list[AclTuple]) -> None:
        self._filters = filters

    def build(self, request_struct_class: type[DeleteAclsRequest_v1]) -> Any:
        return request_struct_class(self._filters)


class DescribeAcls(Request[DescribeAclsRequest_v1]):
    """The ACLs matching one filter."""

    API_KEY = 29

    def __init__(self, acl_filter: AclTuple) -> None:
        self._filter = acl_filter

    def build(self, request_struct_class: type[DescribeAclsRequest_v1]) -> Any:
        return request_struct_class(*self._filter)
