"""The sign-up rate limit: a burst up to the per-minute rate, then one request per refill interval, per address."""

from koos_gateway.domain.rate_limit import RateLimiter


def test_a_burst_up_to_the_rate_passes_and_the_next_request_waits_for_a_refill() -> None:
    limiter = RateLimiter(per_minute=30)

    waits = [limiter.wait_needed("10.0.0.7", now=100.0) for _ in range(31)]

    assert waits[:30] == [0.0] * 30
    assert waits[30] == 2.0


def test_a_token_comes_back_after_the_refill_interval() -> None:
    limiter = RateLimiter(per_minute=30)
    for _ in range(30):
        limiter.wait_needed("10.0.0.7", now=100.0)

    assert limiter.wait_needed("10.0.0.7", now=102.0) == 0.0
    assert limiter.wait_needed("10.0.0.7", now=102.0) > 0


def test_addresses_are_limited_separately() -> None:
    limiter = RateLimiter(per_minute=1)
    limiter.wait_needed("10.0.0.7", now=0.0)

    assert limiter.wait_needed("10.0.0.8", now=0.0) == 0.0
    assert limiter.wait_needed("10.0.0.7", now=0.0) > 0
