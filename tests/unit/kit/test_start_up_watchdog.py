"""A service whose start hangs says, in its log, which step it is stuck on; once started it says nothing more."""

import asyncio
from typing import Any

import pytest

from koos_kit import runtime as runtime_module
from koos_kit.config import ServiceSettings
from koos_kit.runtime import ServiceRuntime


class _Log:
    """Keeps the warnings logged (the module's structlog logger may be cached by whoever configured it first)."""

    def __init__(self) -> None:
        self.warnings: list[dict[str, Any]] = []

    def warning(self, event: str, **fields: Any) -> None:
        self.warnings.append({"event": event, **fields})

    def info(self, event: str, **fields: Any) -> None:
        return None


class _Broker:
    async def start(self) -> None:
        await asyncio.sleep(3600)


@pytest.fixture
def log(monkeypatch: pytest.MonkeyPatch) -> _Log:
    recorder = _Log()
    monkeypatch.setattr(runtime_module, "log", recorder)
    return recorder


def _runtime() -> ServiceRuntime:
    runtime = ServiceRuntime(ServiceSettings(service_name="registration"), _Broker())  # type: ignore[arg-type]
    runtime.watchdog_seconds = 0.05
    return runtime


async def test_a_start_that_hangs_names_its_step_until_it_is_over(log: _Log) -> None:
    runtime = _runtime()
    runtime.starting = "consumers joining their groups"
    runtime._watch_start_up()
    await asyncio.sleep(0.18)
    await runtime.start_background()
    seen = len(log.warnings)
    await asyncio.sleep(0.15)

    stalls = [e for e in log.warnings if e["event"] == "start-up still under way"]
    assert len(stalls) >= 2
    assert {e["step"] for e in stalls} == {"consumers joining their groups"}
    assert [e["waited_seconds"] for e in stalls] == sorted(e["waited_seconds"] for e in stalls)
    assert len(log.warnings) == seen, "nothing is logged about start-up once the service has started"


async def test_a_start_given_up_stops_the_watchdog(log: _Log) -> None:
    runtime = _runtime()
    runtime.starting = "consumers joining their groups"
    runtime._watch_start_up()
    await runtime.stop_background()
    await asyncio.sleep(0.1)
    assert runtime._watchdog is not None and runtime._watchdog.cancelled()
    assert log.warnings == []
