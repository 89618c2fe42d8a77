"""The SMTP dev server: aiosmtpd writing every message into a Maildir, with a lookup API by Message-ID."""

from __future__ import annotations

import smtplib
import sys
from collections.abc import Sequence
from importlib.metadata import version as package_version
from pathlib import Path

import httpx

from koos_cli.servers.base import DevServer


class SmtpServer(DevServer):
    """An SMTP server on 127.0.0.1 that keeps every message it accepts."""

    name = "smtp"
    ready_timeout = 30.0

    @property
    def host(self) -> str:
        """The host clients connect to."""
        return self.settings.host

    @property
    def port(self) -> int:
        """The SMTP port."""
        return self.settings.smtp_port

    @property
    def api_port(self) -> int:
        """The port of the read-only HTTP API that looks messages up by Message-ID."""
        return self.settings.smtp_api_port

    @property
    def api_url(self) -> str:
        """Where senders ask whether a message arrived, e.g. http://127.0.0.1:2526."""
        return f"http://{self.host}:{self.api_port}"

    @property
    def maildir(self) -> Path:
        """The Maildir every accepted message is written to."""
        return self.data_dir / "maildir"

    @property
    def address(self) -> str:
        """Where clients connect."""
        return f"{self.host}:{self.port}"

    @property
    def version(self) -> str:
        """The server software."""
        return f"aiosmtpd {package_version('aiosmtpd')} (Maildir)"

    def ports(self) -> tuple[int, ...]:
        """The SMTP port and the lookup API's port."""
        return (self.settings.smtp_port, self.settings.smtp_api_port)

    def marker(self) -> str:
        """The Maildir path, unique to this state dir."""
        return str(self.maildir)

    def command(self) -> Sequence[str]:
        """python -m koos_cli.servers.smtp_main with this server's addresses and Maildir."""
        module = "koos_cli.servers.smtp_main"
        return [
            sys.executable,
            "-m",
            module,
            "--host",
            self.host,
            "--port",
            str(self.port),
            "--api-port",
            str(self.api_port),
            "--maildir",
            str(self.maildir),
        ]

    def check_health(self) -> bool:
        """An SMTP NOOP gets 250 and the lookup API answers."""
        return self._smtp_answers() and self._api_answers()

    def _smtp_answers(self) -> bool:
        try:
            with smtplib.SMTP(self.host, self.port, timeout=2) as client:
                return client.noop()[0] == 250
        except (OSError, smtplib.SMTPException):
            return False

    def _api_answers(self) -> bool:
        try:
            return httpx.get(f"{self.api_url}/healthz", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False
