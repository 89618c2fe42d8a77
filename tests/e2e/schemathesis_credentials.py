"""Schemathesis hooks (`SCHEMATHESIS_HOOKS`): the cases of an operation are sent with each of the credentials in
`KOOS_SCHEMATHESIS_CREDENTIALS` (a JSON list of header sets, `{}` for none) in turn. A failure that depends on the
credential may not repeat while schemathesis shrinks it; it is then reported as flaky, which fails the run too."""

import itertools
import json
import os
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

import schemathesis

CREDENTIALS: list[dict[str, str]] = json.loads(os.environ.get("KOOS_SCHEMATHESIS_CREDENTIALS", "[{}]"))


_TURNS: defaultdict[tuple[str, str], Iterator[dict[str, str]]] = defaultdict(lambda: itertools.cycle(CREDENTIALS))


def credential_for(case: Any) -> dict[str, str]:
    """The next credential for this operation."""
    return next(_TURNS[(case.method, case.path)])


@schemathesis.auth(refresh_interval=None, retry_on=[])
class RotatingCredentials:
    """No credentials, a staff token, an operator's, a partner's API key or a participant's token, per case."""

    def get(self, case: Any, ctx: Any) -> dict[str, str]:
        return credential_for(case)

    def set(self, case: Any, data: dict[str, str], ctx: Any) -> None:
        case.headers = {**(case.headers or {}), **data}
