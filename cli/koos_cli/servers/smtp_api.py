"""The SMTP dev server's read-only HTTP API: how many stored messages carry a Message-ID.

Mail providers let a sender look a message up by its id (SES, Postmark, Mailgun); this is the same
for the dev server, so that a sender that crashed mid-send can tell whether its mail arrived.
`GET /messages?message_id=<id>` answers `{"message_id": "<id>", "count": n}`; `GET /healthz` answers
`{"status": "ok", "messages": n}`. Every stored message counts, duplicates included.
"""

from __future__ import annotations

import asyncio
import json
import mailbox
from collections import Counter
from email.parser import BytesHeaderParser
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qs, urlsplit

REQUEST_LIMIT = 16 * 1024
READ_TIMEOUT = 5.0


def normalized(message_id: str) -> str:
    """A Message-ID as headers write it: trimmed, in angle brackets."""
    value = message_id.strip()
    return value if value.startswith("<") else f"<{value}>"


def message_id_of(raw: bytes) -> str | None:
    """The Message-ID header of a raw message as written, if it has one (never parsed: any text will do)."""
    value = BytesHeaderParser().parsebytes(raw).get("Message-ID")
    return normalized(str(value)) if value and str(value).strip() else None


class MessageIndex:
    """How many stored messages carry each Message-ID; rebuilt from the Maildir when the server starts."""

    def __init__(self) -> None:
        self._counts: Counter[str] = Counter()

    @classmethod
    def of_maildir(cls, box: mailbox.Maildir) -> MessageIndex:
        """The index of every message already in the Maildir."""
        index = cls()
        for key in box.iterkeys():
            index.add(message_id_of(box.get_bytes(key)))
        return index

    def add(self, message_id: str | None) -> None:
        """Count one more stored message with this id (None: a message without one)."""
        self._counts[message_id or ""] += 1

    def count(self, message_id: str) -> int:
        """How many stored messages carry this id."""
        return self._counts.get(normalized(message_id), 0)

    def total(self) -> int:
        """How many messages are stored."""
        return sum(self._counts.values())


def answer(index: MessageIndex, request_line: str) -> tuple[HTTPStatus, dict[str, Any]]:
    """The status and JSON body for a request line such as `GET /messages?message_id=<x> HTTP/1.1`."""
    method, _, rest = request_line.partition(" ")
    target = urlsplit(rest.rpartition(" ")[0] or rest)
    if method != "GET":
        return HTTPStatus.METHOD_NOT_ALLOWED, {"error": "only GET is served"}
    if target.path == "/healthz":
        return HTTPStatus.OK, {"status": "ok", "messages": index.total()}
    if target.path != "/messages":
        return HTTPStatus.NOT_FOUND, {"error": f"no resource {target.path}"}
    message_ids = parse_qs(target.query).get("message_id", [])
    if len(message_ids) != 1 or not message_ids[0].strip():
        return HTTPStatus.BAD_REQUEST, {"error": "give exactly one message_id"}
    return HTTPStatus.OK, {"message_id": normalized(message_ids[0]), "count": index.count(message_ids[0])}


def http_response(status: HTTPStatus, body: dict[str, Any]) -> bytes:
    """A complete HTTP/1.1 response that closes the connection."""
    content = json.dumps(body).encode()
    head = (f"HTTP/1.1 {status.value} {status.phrase}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(content)}\r\nConnection: close\r\n\r\n")
    return head.encode() + content


async def serve_api(index: MessageIndex, host: str, port: int) -> asyncio.Server:
    """Start answering lookups on host:port."""

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), READ_TIMEOUT)
            request_line = head.split(b"\r\n", 1)[0].decode("latin-1")
            writer.write(http_response(*answer(index, request_line)))
            await writer.drain()
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, TimeoutError, ConnectionError):
            pass
        finally:
            writer.close()

    return await asyncio.start_server(handle, host, port, limit=REQUEST_LIMIT)
