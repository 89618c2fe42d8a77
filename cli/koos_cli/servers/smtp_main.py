"""Run the SMTP dev server: python -m koos_cli.servers.smtp_main --host H --port P --api-port A --maildir DIR.

It stores every message it receives, duplicates included, and answers lookups by Message-ID over HTTP on the
API port (see `smtp_api`).
"""

from __future__ import annotations

import argparse
import asyncio
import mailbox
import os
import signal
from datetime import UTC, datetime
from pathlib import Path

from aiosmtpd.smtp import SMTP, Envelope, Session

from koos_cli.servers.smtp_api import MessageIndex, message_id_of, serve_api

DEFAULT_API_PORT = 2526


class MaildirHandler:
    """An aiosmtpd handler that stores each message, as received, into a Maildir and indexes its Message-ID."""

    def __init__(self, maildir: Path) -> None:
        self.maildir = mailbox.Maildir(maildir, create=True)
        if not (maildir / "new").is_dir():
            raise SystemExit(f"koos-smtp: {maildir} is not a Maildir folder")
        self.index = MessageIndex.of_maildir(self.maildir)
        self._storing: set[asyncio.Task[str]] = set()

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        """Store the message, count its Message-ID, and only then accept it."""
        del server, session
        storing = asyncio.create_task(self._store(stamped(envelope)))
        self._storing.add(storing)
        storing.add_done_callback(self._storing.discard)
        key = await asyncio.shield(storing)
        return f"250 Message accepted as {key}"

    async def _store(self, message: bytes) -> str:
        """Store and count as one: aiosmtpd cancels the handler when its client vanishes, even mid-store."""
        key = await asyncio.to_thread(self.maildir.add, message)
        self.index.add(message_id_of(message))
        return key


def stamped(envelope: Envelope) -> bytes:
    """The raw message with the envelope sender, recipients and receive time added on top."""
    headers = [
        f"X-Koos-Received-At: {datetime.now(UTC).isoformat(timespec='milliseconds')}",
        f"X-Koos-Envelope-From: {envelope.mail_from or ''}",
        f"X-Koos-Envelope-To: {', '.join(envelope.rcpt_tos)}",
    ]
    content = envelope.original_content or b""
    return "".join(f"{line}\r\n" for line in headers).encode() + content


async def serve(host: str, port: int, maildir: Path, api_port: int = DEFAULT_API_PORT) -> None:
    """Serve SMTP and the lookup API until SIGTERM or SIGINT."""
    handler = MaildirHandler(maildir)
    loop = asyncio.get_running_loop()
    servers = [await loop.create_server(lambda: SMTP(handler, enable_SMTPUTF8=True, hostname="koos-smtp"),
                                        host, port),
               await serve_api(handler.index, host, api_port)]
    stopping = asyncio.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stopping.set)
    print(f"koos-smtp ready on {host}:{port} (lookup API on {host}:{api_port}), storing into {maildir} "
          f"({handler.index.total()} messages)", flush=True)
    await stopping.wait()
    for server in servers:
        server.close()
        await server.wait_closed()
    print("koos-smtp stopped", flush=True)


def main(argv: list[str] | None = None) -> None:
    """Parse the arguments and serve."""
    parser = argparse.ArgumentParser(description="Koos SMTP dev server (Maildir storage)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--api-port", type=int, default=int(os.environ.get("KOOS_SMTP_API_PORT", DEFAULT_API_PORT)),
                        help="HTTP port of the read-only lookup API (env KOOS_SMTP_API_PORT, default 2526)")
    parser.add_argument("--maildir", type=Path, required=True)
    arguments = parser.parse_args(argv)
    asyncio.run(serve(arguments.host, arguments.port, arguments.maildir, arguments.api_port))


if __name__ == "__main__":
    main()
