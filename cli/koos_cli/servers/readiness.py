"""Small helpers for waiting on servers."""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")


def port_open(host: str, port: int, timeout: float = 0.5) -> bool:
    """Tell whether a TCP connection to host:port succeeds."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def run_coroutine(make: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run a coroutine to completion on a private loop, even when called from async code."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="koos-health") as pool:
        return pool.submit(lambda: asyncio.run(make())).result()


def wait_until(check: Callable[[], bool], timeout: float, interval: float = 0.1) -> bool:
    """Call check until it returns True or timeout seconds pass."""
    deadline = time.monotonic() + timeout
    while True:
        if check():
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(interval)


def free_port(host: str = "127.0.0.1") -> int:
    """Ask the OS for a TCP port that is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])
