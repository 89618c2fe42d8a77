"""A service whose start hangs says, in its log, which step it is stuck on; once started it says nothing more."""

import asyncio
from typing import Any

from structlog.testing import capture_logs

from koos_kit.config import ServiceSettings
from koos_kit.runtime import ServiceRuntime


class _Broker:
    async def start(self) -> None:
        await asyncio.sleep(3600)


def _runtime() -> ServiceRuntime:
    runtime = ServiceRuntime(ServiceSettings(service_name="registration"), _Broker())  # type: ignore[arg-type]
    runtime.watchdog_seconds = 0.05
    return runtime


async def test_a_start_that_hangs_names_its_step_until_it_is_over() -> None:
    runtime = _runtime()
    with capture_logs() as logs:
        runtime.starting = "consumers joining their groups"
        runtime._watch_start_up()
        await asyncio.sleep(0.18)
        await runtime.start_background()
        seen = len(logs)
        await asyncio.sleep(0.15)

    stalls: list[dict[str, Any]] = [e for e in logs if e["event"] == "start-up still under way"]
    assert len(stalls) >= 2
    assert {e["step"] for e in stalls} == {"consumers joining their groups"}
    assert [e["waited_seconds"] for e in stalls] == sorted(e["waited_seconds"] for e in stalls)
    assert len(logs) == seen, "nothing is logged about start-up once the service has started"


async def test_a_start_given_up_stops_the_watchdog() -> None:
    runtime = _runtime()
    runtime.starting = "consumers joining their groups"
    runtime._watch_start_up()
    await runtime.stop_background()
    await asyncio.sleep(0)
    assert runtime._watchdog is not None and runtime._watchdog.cancelled()
