"""Schemathesis hooks (`SCHEMATHESIS_HOOKS`): every generated case is sent with one of the credentials in
`KOOS_SCHEMATHESIS_CREDENTIALS` (a JSON list of header sets, `{}` for none), chosen from the case itself, so that
a case replayed while shrinking keeps its credential."""

import hashlib
import json
import os
from typing import Any

import schemathesis

CREDENTIALS: list[dict[str, str]] = json.loads(os.environ.get("KOOS_SCHEMATHESIS_CREDENTIALS", "[{}]"))


def credential_for(case: Any) -> dict[str, str]:
    """The same case, the same credential."""
    shape = repr((case.method, case.path, case.path_parameters, case.query, case.body)).encode()
    return CREDENTIALS[int(hashlib.sha256(shape).hexdigest(), 16) % len(CREDENTIALS)]


@schemathesis.auth(refresh_interval=None, retry_on=[])
class RotatingCredentials:
    """No credentials, a staff token, an operator's, a partner's API key or a participant's token, per case."""

    def get(self, case: Any, ctx: Any) -> dict[str, str]:
        return credential_for(case)

    def set(self, case: Any, data: dict[str, str], ctx: Any) -> None:
        case.headers = {**(case.headers or {}), **data}
