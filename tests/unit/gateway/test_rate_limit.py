"""Rate limits: an office behind one address gets through, a flood does not, across every gateway replica."""

import pytest

from koos_contracts.registration import RegisterParticipant
from koos_gateway.domain.rate_limit import Quota, client_key
from koos_gateway.entrypoints.http.app import HttpSettings, in_memory_limits
from koos_gateway.service_layer.rate_limits import MemoryPools, RateLimiter, RateLimits
from tests.builders import person
from tests.unit.gateway.harness import OSLO, Gateway, staff

OFFICE = "192.0.2.45"


class Clock:
    def __init__(self, now: float = 6_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


class CountingPools(MemoryPools):
    """Shared pools that count how often the store was asked."""

    def __init__(self) -> None:
        super().__init__()
        self.asked = 0

    async def take(self, quota: Quota, key: str, window: int) -> bool:
        self.asked += 1
        return await super().take(quota, key, window)


def replicas(amount: int, count: int = 2, clock: Clock | None = None) -> tuple[list[RateLimiter], CountingPools]:
    pools = CountingPools()
    quota = Quota("sign-up", amount, 60, replicas=count)
    return [RateLimiter(quota, pools, clock or Clock()) for _ in range(count)], pools


async def admitted(limiters: list[RateLimiter], key: str, requests: int) -> int:
    waits = [await limiters[n % len(limiters)].wait_needed(key) for n in range(requests)]
    return sum(1 for wait in waits if wait == 0)


async def test_forty_five_colleagues_behind_one_address_all_get_through_on_one_replica_or_two() -> None:
    for spread in (1, 2):
        limiters, _ = replicas(120)

        assert await admitted(limiters[:spread], client_key(OFFICE), 45) == 45


async def test_a_flood_from_one_address_gets_the_quota_and_no_more_across_both_replicas() -> None:
    limiters, pools = replicas(120)

    assert await admitted(limiters, client_key(OFFICE), 2_000) == 120
    assert pools.asked == limiters[0].quota.shared_pool + 2


async def test_a_flood_on_one_replica_gets_all_but_the_other_replicas_share() -> None:
    limiters, _ = replicas(120)

    assert await admitted(limiters[:1], client_key(OFFICE), 500) == 120 - limiters[1].quota.local_share


async def test_addresses_that_sign_up_now_and_then_never_reach_the_store() -> None:
    limiters, pools = replicas(120)

    for n in range(1_000):
        assert await limiters[n % 2].wait_needed(client_key(f"198.51.{n // 250}.{n % 250}")) == 0

    assert pools.asked == 0


async def test_a_refused_address_waits_for_the_next_window_and_then_gets_through() -> None:
    clock = Clock(6_010.0)
    limiters, _ = replicas(8, count=1, clock=clock)
    assert await admitted(limiters, client_key(OFFICE), 8) == 8

    assert await limiters[0].wait_needed(client_key(OFFICE)) == 50
    clock.now = 6_060.0
    assert await limiters[0].wait_needed(client_key(OFFICE)) == 0


async def test_without_the_store_each_replica_keeps_to_its_half_of_the_quota() -> None:
    limiters, pools = replicas(120)
    pools.available = False

    assert await admitted(limiters, client_key(OFFICE), 1_000) == 120
    assert await admitted(limiters[:1], client_key("192.0.2.46"), 1_000) == 60


def test_ipv6_addresses_are_counted_by_their_64_and_mapped_ipv4_as_ipv4() -> None:
    assert client_key("2001:db8:1:2::1") == client_key("2001:db8:1:2:ffff:ffff:ffff:9") == client_key(
        "2001:0DB8:0001:0002:0000:0000:0000:0007")
    assert client_key("2001:db8:1:3::1") != client_key("2001:db8:1:2::1")
    assert client_key("::ffff:192.0.2.45") == client_key(OFFICE) == "ip4:192.0.2.45"
    assert client_key("192.0.2.46") != client_key(OFFICE)


def with_limits(gateway: Gateway, limits: RateLimits) -> None:
    gateway.app.state.rate_limits = limits


MID_MINUTE = 1_800_000_030.0
"""A moment in the middle of a one-minute window."""


async def test_forty_five_sign_ups_from_one_office_within_a_minute_are_all_accepted_and_a_flood_is_not(
        gateway: Gateway) -> None:
    with_limits(gateway, in_memory_limits(HttpSettings(), clock=lambda: MID_MINUTE))  # one window, however slow
    plan = await gateway.publish_edition(capacity=30)
    path = f"/v1/public/editions/{plan.edition_id}/registrations"

    office = [await gateway.client.post(path, json=person(n).model_dump(mode="json")) for n in range(45)]
    flood = [await gateway.client.post(path, json=person(1000 + n).model_dump(mode="json")) for n in range(200)]

    assert [a.status_code for a in office] == [202] * 45
    assert [a.status_code for a in flood].count(202) == HttpSettings().signup_rate_per_minute - 45
    assert flood[-1].status_code == 429 and int(flood[-1].headers["Retry-After"]) >= 1
    assert len(gateway.sent(RegisterParticipant)) == HttpSettings().signup_rate_per_minute


async def test_a_partner_api_key_has_a_quota_of_its_own(gateway: Gateway) -> None:
    with_limits(gateway, in_memory_limits(HttpSettings(api_key_rate_per_minute=4), clock=lambda: MID_MINUTE))
    issued = await gateway.client.post("/v1/admin/api-keys", json={"organisation_id": OSLO, "label": "HR"},
                                       headers=staff(role="operator"))
    key = {"X-API-Key": issued.json()["api_key"]}

    answers = [await gateway.client.get("/v1/editions", headers=key) for _ in range(6)]
    organiser = await gateway.client.get("/v1/editions", headers=staff())

    assert [a.status_code for a in answers] == [200] * 4 + [429] * 2
    assert organiser.status_code == 200


@pytest.mark.parametrize("amount", [1, 2, 5, 7, 120, 100_000])
def test_local_shares_and_the_pool_add_up_to_the_quota(amount: int) -> None:
    for count in (1, 2, 3, 5):
        quota = Quota("q", amount, 60, count)
        assert quota.local_share * count + quota.shared_pool == amount and quota.shared_pool > 0
