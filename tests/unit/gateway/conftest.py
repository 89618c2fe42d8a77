"""The gateway under test: its FastAPI app over fakes, called in-process through httpx."""

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from tests.unit.gateway.harness import Gateway, new_gateway


@pytest.fixture
async def gateway() -> AsyncIterator[Gateway]:
    def client_for(app: Any) -> httpx.AsyncClient:
        return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gateway.test")

    gateway = new_gateway(client_for)
    async with gateway.client:
        yield gateway
