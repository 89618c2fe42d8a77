"""The web app over a fake gateway, called in-process."""

from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest

from koos_web.app import create_app
from koos_web.config import Settings
from tests.unit.web.fake_gateway import FakeGateway

JWT_SECRET = "web-unit-test-staff-secret-of-32-bytes!"


@dataclass
class Site:
    gateway: FakeGateway
    browser: httpx.AsyncClient

    async def csrf(self, path: str = "/") -> str:
        """The CSRF token of this browser's session (read from a page's form)."""
        import re

        page = await self.browser.get(path)
        found = re.search(r'name="csrf" value="([^"]+)"', page.text)
        assert found, page.text[:500]
        return found.group(1)


def settings(**changes: object) -> Settings:
    values = {"web_development": True, "jwt_secret": JWT_SECRET, "web_base_url": "http://web.test",
              "gateway_url": "http://gateway.test", **changes}
    return Settings(**values)  # type: ignore[arg-type]


@pytest.fixture
async def site() -> AsyncIterator[Site]:
    gateway = FakeGateway()
    app = create_app(settings(), transport=gateway.transport())
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://web.test") as browser:
        yield Site(gateway, browser)
