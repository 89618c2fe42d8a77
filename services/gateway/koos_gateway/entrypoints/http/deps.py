"""Dependencies of the routes: ports, the caller, the correlation id, the sign-up rate limit."""

from typing import Annotated, cast
from uuid import uuid4

from fastapi import Depends, Query, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from koos_gateway.domain.access import Caller
from koos_gateway.domain.errors import NotAuthenticated, RateLimited
from koos_gateway.domain.rate_limit import client_key
from koos_gateway.service_layer.authentication import caller_from
from koos_gateway.service_layer.rate_limits import RateLimits
from koos_gateway.service_layer.unit import Ports
from koos_kit.logging import current_correlation_id

bearer_scheme = HTTPBearer(auto_error=False, scheme_name="bearer",
                           description="A JWT (HS256) with claims sub, org, role, iss, exp.")
api_key_scheme = APIKeyHeader(name="X-API-Key", auto_error=False, scheme_name="partnerApiKey",
                              description="A partner system's key, bound to one organisation.")


def ports_in(request: Request) -> Ports:
    """The gateway's ports (for a route that takes them without dependency injection: the public sign-up)."""
    return cast(Ports, request.app.state.ports)


async def ports_of(request: Request) -> Ports:
    """The gateway's ports."""
    return ports_in(request)


PortsDep = Annotated[Ports, Depends(ports_of)]


TokenQuery = Annotated[str | None, Query(description="A participant token from a mailed link (GET requests only).")]


async def optional_caller(ports: PortsDep, request: Request,
                          bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
                          api_key: Annotated[str | None, Depends(api_key_scheme)],
                          token: TokenQuery = None) -> Caller | None:
    """The caller the credentials name, if any were given; a mailed link may carry a token on a GET."""
    linked = token if request.method == "GET" else None
    caller = await caller_from(bearer.credentials if bearer else linked, api_key, ports)
    if caller is not None and caller.kind == "partner":
        wait = await rate_limits_of(request).api_keys.wait_needed(f"api-key:{caller.subject}")
        if wait > 0:
            raise RateLimited(wait)
    return caller


async def current_caller(caller: Annotated[Caller | None, Depends(optional_caller)]) -> Caller:
    """The caller; without credentials the request is refused."""
    if caller is None:
        raise NotAuthenticated("credentials are required: a bearer token or an X-API-Key header")
    return caller


CallerDep = Annotated[Caller, Depends(current_caller)]


def request_correlation_id() -> str:
    """The request's correlation id (bound by the middleware)."""
    return current_correlation_id() or str(uuid4())


async def correlation_id() -> str:
    """The request's correlation id, as a dependency."""
    return request_correlation_id()


CorrelationDep = Annotated[str, Depends(correlation_id)]


async def base_url(request: Request) -> str:
    """The public address of the gateway, for absolute links (calendar entries)."""
    return cast(str, request.app.state.public_base_url)


BaseUrlDep = Annotated[str, Depends(base_url)]


def rate_limits_of(request: Request) -> RateLimits:
    """The gateway's rate limits."""
    return cast(RateLimits, request.app.state.rate_limits)


async def signup_rate_limit(request: Request) -> None:
    """Refuse a client address (an IPv6 one by its /64) that signs up too often, across every replica."""
    address = request.client.host if request.client else "unknown"
    wait = await rate_limits_of(request).sign_ups.wait_needed(client_key(address))
    if wait > 0:
        raise RateLimited(wait)


WaitQuery = Annotated[float, Query(ge=0, le=30, description="Seconds to wait for the decision (0: answer at once).")]
