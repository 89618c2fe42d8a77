"""Organisers signed in at an OpenID Connect provider call the gateway with the provider's access token."""

import time

import httpx
import jwt
import pytest

from koos_gateway.adapters.oidc import OidcTokens, ProviderKeys
from koos_gateway.adapters.tokens import JwtTokens, StaffTokenRules
from koos_gateway.domain.access import Caller
from koos_gateway.domain.errors import NotAuthenticated
from tests.fixtures.oidc import AUDIENCE, Provider
from tests.tokens import VERIFIER
from tests.unit.gateway.harness import SECRET, staff_token

ISSUER = "https://login.example"


@pytest.fixture
def provider() -> Provider:
    return Provider(ISSUER)


async def tokens_of(provider: Provider) -> OidcTokens:
    keys = ProviderKeys(ISSUER, transport=httpx.ASGITransport(app=provider.app()))
    await keys.refresh()
    inner = JwtTokens(StaffTokenRules(SECRET, "koos", AUDIENCE, 12 * 3600), VERIFIER)
    return OidcTokens(inner, keys, AUDIENCE, org_claim="org", role_claim="roles")


async def test_the_providers_access_token_names_the_organiser_by_its_claims(provider: Provider) -> None:
    tokens = await tokens_of(provider)

    assert tokens.caller(provider.access_token("kari")) == Caller.staff("oslo-kommune", "kari", "organiser")
    assert tokens.caller(provider.access_token("tor")).role == "trainer"


async def test_the_gateways_own_tokens_still_work_beside_the_providers(provider: Provider) -> None:
    tokens = await tokens_of(provider)

    assert tokens.caller(staff_token()).subject == "kari"


@pytest.mark.parametrize("change", [{"aud": "another-api"}, {"iss": "https://evil.example"},
                                    {"exp": int(time.time()) - 60}, {"roles": ["partner", "organiser"]},
                                    {"roles": ["cleaner"]}, {"org": ""},
                                    {"exp": int(time.time()) + 2 * 86_400}])
async def test_a_token_for_another_audience_issuer_or_without_a_koos_role_is_refused(
        provider: Provider, change: dict[str, object]) -> None:
    tokens = await tokens_of(provider)

    with pytest.raises(NotAuthenticated):
        tokens.caller(provider.access_token("kari", **change))


async def test_a_token_signed_by_another_key_is_refused(provider: Provider) -> None:
    tokens = await tokens_of(provider)
    forged = jwt.encode(jwt.decode(provider.access_token("kari"), options={"verify_signature": False}),
                        Provider(ISSUER).key, algorithm="RS256", headers={"kid": "test-key-1"})

    with pytest.raises(NotAuthenticated):
        tokens.caller(forged)


async def test_keys_stay_when_the_provider_does_not_answer(provider: Provider) -> None:
    keys = ProviderKeys(ISSUER, transport=httpx.ASGITransport(app=provider.app()))
    await keys.refresh()
    keys._transport = httpx.MockTransport(lambda request: httpx.Response(503))

    await keys.refresh()

    assert keys.key("test-key-1") is not None
