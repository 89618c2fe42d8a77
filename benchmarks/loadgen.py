"""A lean HTTP/1.1 load generator: persistent keep-alive connections on raw asyncio streams.

Every request is built as bytes before the clock starts; a response is parsed only as far as its status line,
Content-Length (or chunks) and body. A dropped connection is opened again and the request resent (the callers
send idempotent requests). It runs in a process of its own (`run_in_process`), so that its CPU — reported per
request — is its own and it never shares a core's GIL with the benchmark's Kafka consumer.
"""

import asyncio
import json
import pickle
import sys
import tempfile
import time
from collections.abc import Coroutine, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ATTEMPTS = 5
DROPPED = (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, TimeoutError, ValueError)


def post_json(host: str, port: int, path: str, body: dict[str, Any]) -> bytes:
    """The bytes of one keep-alive POST with a JSON body."""
    payload = json.dumps(body, separators=(",", ":")).encode()
    head = (f"POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(payload)}\r\nConnection: keep-alive\r\n\r\n")
    return head.encode() + payload


@dataclass(frozen=True)
class Load:
    """Requests to send to one server, `concurrency` at a time (one connection each)."""

    host: str
    port: int
    requests: Sequence[bytes]
    concurrency: int
    timeout: float = 60.0


@dataclass
class LoadResult:
    """Per request (same index as the requests): when it was first sent, when answered, status and body."""

    sent: list[float]
    answered: list[float]
    status: list[int]
    bodies: list[bytes]
    cpu_seconds: float = 0.0
    wall_seconds: float = 0.0
    resent: int = 0
    connections: int = 0
    failed: int = 0

    @property
    def cpu_per_request_ms(self) -> float:
        return 1000 * self.cpu_seconds / max(1, len(self.sent))


class _Connection:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    async def exchange(self, request: bytes) -> tuple[int, bytes, bool]:
        """Status, body and whether the server keeps the connection open."""
        self.writer.write(request)
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head[9:12])
        lowered = head.lower()
        keep = b"\r\nconnection: close" not in lowered
        start = lowered.find(b"\r\ncontent-length:")
        if start >= 0:
            end = lowered.index(b"\r\n", start + 17)
            return status, await self.reader.readexactly(int(lowered[start + 17:end])), keep
        if b"\r\ntransfer-encoding: chunked" in lowered:
            return status, await self._chunks(), keep
        return status, b"", keep

    async def _chunks(self) -> bytes:
        parts = []
        while size := int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16):
            parts.append(await self.reader.readexactly(size + 2))
        await self.reader.readuntil(b"\r\n")
        return b"".join(part[:-2] for part in parts)

    def close(self) -> None:
        self.writer.close()


class _Generator:
    def __init__(self, load: Load) -> None:
        self.load = load
        count = len(load.requests)
        self.result = LoadResult([0.0] * count, [0.0] * count, [0] * count, [b""] * count)

    async def run(self) -> LoadResult:
        queue = iter(range(len(self.load.requests)))
        cpu, wall = time.process_time(), time.perf_counter()
        await asyncio.gather(*(self._worker(queue) for _ in range(self.load.concurrency)))
        self.result.cpu_seconds = time.process_time() - cpu
        self.result.wall_seconds = time.perf_counter() - wall
        return self.result

    async def _worker(self, queue: Iterator[int]) -> None:
        connection: _Connection | None = None
        for index in queue:
            connection = await self._send(index, connection)
        if connection is not None:
            connection.close()

    async def _send(self, index: int, connection: _Connection | None) -> _Connection | None:
        result, request = self.result, self.load.requests[index]
        result.sent[index] = time.perf_counter()
        for attempt in range(ATTEMPTS):
            try:
                connection = connection or await self._connect()
                async with asyncio.timeout(self.load.timeout):
                    status, body, keep = await connection.exchange(request)
            except DROPPED:
                if connection is not None:
                    connection.close()
                connection, result.resent = None, result.resent + 1
                await asyncio.sleep(0.05 * attempt)
                continue
            result.answered[index], result.status[index], result.bodies[index] = time.perf_counter(), status, body
            if not keep:
                connection.close()
                return None
            return connection
        result.failed += 1
        return None

    async def _connect(self) -> _Connection:
        self.result.connections += 1
        return _Connection(*await asyncio.open_connection(self.load.host, self.load.port))


def _run_loop(main: Coroutine[Any, Any, LoadResult]) -> LoadResult:
    try:
        import uvloop
    except ImportError:
        return asyncio.run(main)
    return uvloop.run(main)


def generate(load: Load) -> LoadResult:
    """Send every request and return what came back (blocks; runs its own event loop, uvloop if installed)."""
    return _run_loop(_Generator(load).run())


async def run_in_process(load: Load) -> LoadResult:
    """`generate` in a fresh Python process that imports only this module, awaited from the caller's loop.

    The load and the result pass through files: asyncio has lost a child's last output on its pipes
    (an intermittently truncated result was seen here; see cpython issues 85760 and 100133).
    """
    with tempfile.TemporaryDirectory(prefix="koos-loadgen-") as folder:
        given, taken = Path(folder) / "load.pickle", Path(folder) / "result.pickle"
        given.write_bytes(pickle.dumps(load))
        child = await asyncio.create_subprocess_exec(sys.executable, "-m", "benchmarks.loadgen", str(given),
                                                     str(taken), cwd=Path(__file__).parents[1])
        if await child.wait() != 0:
            raise RuntimeError(f"the load generator exited with code {child.returncode}")
        result: LoadResult = pickle.loads(taken.read_bytes())
    return result


if __name__ == "__main__":
    from benchmarks import loadgen  # the classes pickled by their importable name, not as __main__'s

    Path(sys.argv[2]).write_bytes(pickle.dumps(loadgen.generate(pickle.loads(Path(sys.argv[1]).read_bytes()))))
