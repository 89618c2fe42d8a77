"""Organisers sign in at an OpenID Connect provider (code flow with PKCE); the session cookie keeps them private."""

import asyncio
from urllib.parse import parse_qs, urlsplit

import httpx
import jwt
import pytest

from koos_web.app import create_app
from koos_web.config import Settings
from tests.fixtures.oidc import AUDIENCE, CLIENT_ID, CLIENT_SECRET, Provider
from tests.unit.web.conftest import settings
from tests.unit.web.fake_gateway import FakeGateway

ISSUER = "https://login.example"


@pytest.fixture
def provider() -> Provider:
    return Provider(ISSUER)


def oidc_site(provider: Provider, gateway: FakeGateway) -> httpx.AsyncClient:
    app = create_app(settings(web_development=False, web_cookie_secret="x" * 40, jwt_secret="",
                              web_oidc_issuer=ISSUER, web_oidc_client_id=CLIENT_ID,
                              web_oidc_client_secret=CLIENT_SECRET),
                     transport=gateway.transport(), oidc_transport=httpx.ASGITransport(app=provider.app()))
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://web.test")


async def at_the_provider(provider: Provider, authorize_url: str, login: str) -> str:
    """The person signs in at the provider; where it sends the browser back."""
    query = {k: v[0] for k, v in parse_qs(urlsplit(authorize_url).query).items()}
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=provider.app()), base_url=ISSUER) as browser:
        answer = await browser.post("/authorize", data={**query, "login": login})
    return answer.headers["location"]


async def test_an_organiser_signs_in_at_the_provider_and_the_gateway_gets_its_access_token(provider: Provider) -> None:
    gateway = FakeGateway()
    async with oidc_site(provider, gateway) as browser:
        start = await browser.get("/staff/sign-in/oidc?next=/staff/editions")
        query = parse_qs(urlsplit(start.headers["location"]).query)
        back = await at_the_provider(provider, start.headers["location"], "kari")
        signed_in = await browser.get(back.removeprefix("http://web.test"))
        editions = await browser.get("/staff/editions")

    assert start.headers["location"].startswith(f"{ISSUER}/authorize?")
    assert query["code_challenge_method"] == ["S256"] and query["redirect_uri"] == [
        "http://web.test/staff/oidc/callback"]
    assert signed_in.status_code == 303 and signed_in.headers["location"] == "/staff/editions"
    assert editions.status_code == 200 and "Kari Nordmann" in editions.text
    (call,) = gateway.sent("GET", "/v1/editions")
    claims = jwt.decode(call.headers["authorization"].removeprefix("Bearer "), options={"verify_signature": False})
    assert claims["aud"] == AUDIENCE and claims["org"] == "oslo-kommune" and claims["iss"] == ISSUER


async def test_a_callback_with_another_state_is_refused(provider: Provider) -> None:
    async with oidc_site(provider, FakeGateway()) as browser:
        start = await browser.get("/staff/sign-in/oidc")
        back = await at_the_provider(provider, start.headers["location"], "kari")
        forged = back.replace("state=", "state=x")
        answer = await browser.get(forged.removeprefix("http://web.test"))
        after = await browser.get("/staff/editions")

    assert answer.status_code == 401 and after.status_code == 303


async def test_without_development_mode_there_is_no_development_login_and_a_secret_is_required() -> None:
    with pytest.raises(ValueError, match="KOOS_WEB_COOKIE_SECRET"):
        Settings(web_development=False, web_cookie_secret="")  # type: ignore[call-arg]
    quiet = Settings(web_development=False, web_cookie_secret="y" * 40, jwt_secret="secret" * 8)  # type: ignore[call-arg]
    app = create_app(quiet, transport=FakeGateway().transport())
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://web.test") as browser:
        page = await browser.get("/staff/sign-in")
        answer = await browser.post("/staff/sign-in/development", data={"name": "x"})

    assert "Development login" not in page.text and answer.status_code == 404


async def test_a_tampered_session_cookie_counts_as_no_session(provider: Provider) -> None:
    async with oidc_site(provider, FakeGateway()) as browser:
        start = await browser.get("/staff/sign-in/oidc")
        back = await at_the_provider(provider, start.headers["location"], "kari")
        await browser.get(back.removeprefix("http://web.test"))
        cookie = browser.cookies["koos_session"]
        browser.cookies.set("koos_session", cookie[:-4] + ("AAAA" if not cookie.endswith("AAAA") else "BBBB"))
        answer = await browser.get("/staff/editions")

    assert answer.status_code == 303 and answer.headers["location"].startswith("/staff/sign-in")


async def test_a_sign_in_whose_access_token_ran_out_is_renewed_at_the_provider(provider: Provider) -> None:
    provider.access_lifetime = 1
    gateway = FakeGateway()
    async with oidc_site(provider, gateway) as browser:
        start = await browser.get("/staff/sign-in/oidc?next=/staff/editions")
        back = await at_the_provider(provider, start.headers["location"], "kari")
        await browser.get(back.removeprefix("http://web.test"))
        first = await browser.get("/staff/editions")
        await asyncio.sleep(1.1)
        renewed = await browser.get("/staff/editions")
        provider.refresh_tokens.clear()  # the provider ends the sign-in (say, the account was disabled)
        await asyncio.sleep(1.1)
        ended = await browser.get("/staff/editions")

    assert first.status_code == 200 and renewed.status_code == 200 and "Kari Nordmann" in renewed.text
    first_token, renewed_token = (c.headers["authorization"] for c in gateway.sent("GET", "/v1/editions"))
    assert first_token != renewed_token
    assert ended.status_code == 303 and ended.headers["location"].startswith("/staff/sign-in")
