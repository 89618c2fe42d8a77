"""The gateway's public HTTP API, as the web calls it: every answer as JSON, every error as GatewayError."""

from dataclasses import dataclass, field
from typing import Any

import httpx

from koos_kit.logging import current_correlation_id

Json = Any
CANCELLED = "registration_cancelled"
"""What the gateway says to a participant token whose registration was cancelled: the token no longer works."""


@dataclass
class GatewayError(Exception):
    """The gateway refused (`status`, `code`, `reason`, `details` as its error shape), or did not answer (503)."""

    status: int
    code: str
    reason: str
    details: list[dict[str, Any]] = field(default_factory=list)
    retry_after: str | None = None

    def fields(self) -> dict[str, str]:
        """The reasons by field name, e.g. `sessions.0.end` from `body.sessions.0.end`."""
        found: dict[str, str] = {}
        for detail in self.details:
            name = str(detail.get("field") or "").removeprefix("body.").removeprefix("body")
            found.setdefault(name, str(detail.get("reason", "")))
        return found


@dataclass(frozen=True)
class Answer:
    """A successful answer: its status, body and Location."""

    status: int
    body: Json
    location: str | None = None


class Gateway:
    """A client of the gateway; `token` is a bearer (staff or participant) when one is given."""

    def __init__(self, base_url: str, timeout: float = 20.0, transport: httpx.AsyncBaseTransport | None = None) -> None:
        self._client = httpx.AsyncClient(base_url=base_url, timeout=timeout, transport=transport)

    async def close(self) -> None:
        await self._client.aclose()

    async def get(self, path: str, token: str | None = None, **params: Any) -> Json:
        return (await self.call("GET", path, token, params=params)).body

    async def post(self, path: str, body: Json = None, token: str | None = None, client: str | None = None,
                   **params: Any) -> Answer:
        """`client`: the visitor's address, passed on (X-Forwarded-For) so the gateway's rate limits key on it."""
        headers = {"X-Forwarded-For": client} if client else None
        return await self.call("POST", path, token, json=body, params=params, extra_headers=headers)

    async def delete(self, path: str, token: str | None = None) -> Answer:
        return await self.call("DELETE", path, token)

    async def raw(self, path: str, **params: Any) -> httpx.Response:
        """An answer as it came (calendar files)."""
        try:
            return await self._client.get(path, params=params, headers=self._headers(None))
        except httpx.HTTPError as error:
            raise _unreachable(error) from error

    async def healthy(self) -> bool:
        try:
            return (await self._client.get("/healthz", timeout=3.0)).status_code == 200
        except httpx.HTTPError:
            return False

    async def call(self, method: str, path: str, token: str | None, extra_headers: dict[str, str] | None = None,
                   **options: Any) -> Answer:
        headers = {**self._headers(token), **(extra_headers or {})}
        try:
            answer = await self._client.request(method, path, headers=headers, **options)
        except httpx.HTTPError as error:
            raise _unreachable(error) from error
        if answer.status_code >= 400:
            raise _error_of(answer)
        body = answer.json() if answer.content and "json" in answer.headers.get("content-type", "") else None
        return Answer(answer.status_code, body, answer.headers.get("location"))

    @staticmethod
    def _headers(token: str | None) -> dict[str, str]:
        headers = {"X-Correlation-ID": current_correlation_id() or ""} if current_correlation_id() else {}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return headers


def _error_of(answer: httpx.Response) -> GatewayError:
    try:
        error = answer.json()["error"]
        return GatewayError(answer.status_code, str(error["code"]), str(error["reason"]), list(error["details"]),
                            answer.headers.get("retry-after"))
    except (ValueError, KeyError, TypeError):
        return GatewayError(answer.status_code, "http_error", answer.reason_phrase)


def _unreachable(error: httpx.HTTPError) -> GatewayError:
    return GatewayError(503, "gateway_unreachable", f"the gateway does not answer ({type(error).__name__})")
